-- One row per month x status x dimension x category: the leaf cells of the
-- reports. Where several reports print the same month, the newest report
-- (by "Rapport oppdatert", then by period end) gives the figure; every
-- version is in fct_participants_history. Before 2023 the measure types are
-- TILT030's, its age bands summed (a sum, not one cell: no page, row or cell).
with

current_versions as (
    select * from {{ ref('int_tilt100__month_versions') }}
    where is_current
),

tilt030_types as (
    select * from {{ ref('int_tilt030__type_months') }}
),

versions as (
    select
        month,
        status_code,
        dimension,
        category_code,
        category_name,
        participants,
        participants_min,
        participants_max,
        is_suppressed,
        report_code,
        report_updated_on,
        file_name,
        file_sha256,
        page_number,
        row_order,
        sheet_name,
        cell_ref,
        false as is_age_band_sum
    from current_versions
    union all
    select
        month,
        status_code,
        'tiltakstype' as dimension,
        tiltakstype_code as category_code,
        tiltakstype_label as category_name,
        participants,
        participants_min,
        participants_max,
        is_suppressed,
        report_code,
        report_updated_on,
        file_name,
        file_sha256,
        page_number,
        null::integer as row_order,
        sheet_name,
        null::varchar as cell_ref,
        true as is_age_band_sum
    from tilt030_types
),

series_breaks as (
    select * from {{ ref('series_breaks') }}
),

with_series as (
    select
        versions.*,
        count(series_breaks.break_month) + 1 as series_period,
        coalesce(
            bool_or(series_breaks.break_month = versions.month), false
        ) as is_series_break_month
    from versions
    left join series_breaks
        on
            versions.status_code = series_breaks.status_code
            and versions.month >= series_breaks.break_month
            and coalesce(series_breaks.dimension, versions.dimension)
            = versions.dimension
    group by all
),

final as (
    select
        month,
        status_code,
        dimension,
        category_code,
        category_name,
        participants,
        participants_min,
        participants_max,
        is_suppressed,
        series_period,
        is_series_break_month,
        report_code,
        report_updated_on,
        file_name,
        file_sha256,
        page_number,
        row_order,
        sheet_name,
        cell_ref,
        is_age_band_sum
    from with_series
)

select
    month,
    status_code,
    dimension,
    category_code,
    category_name,
    participants,
    participants_min,
    participants_max,
    is_suppressed,
    series_period,
    is_series_break_month,
    report_code,
    report_updated_on,
    file_name,
    file_sha256,
    page_number,
    row_order,
    sheet_name,
    cell_ref,
    is_age_band_sum
from final
