-- Every version of every leaf figure: each report that printed a month
-- gives one row (twin files of one report, one row), so an analyst sees
-- where a later report revised a month. fct_participants holds the current
-- version (is_current).
with

versions as (
    select * from {{ ref('int_tilt100__month_versions') }}
    where is_version_file
),

final as (
    select
        month,
        status_code,
        dimension,
        category_code,
        category_name,
        version_number,
        version_count,
        is_current,
        version_file_count as file_count,
        participants,
        participants_min,
        participants_max,
        is_suppressed,
        coalesce(
            previous_participants_min != participants_min
            or previous_participants_max != participants_max,
            false
        ) as is_revision,
        previous_participants,
        report_updated_on,
        period_end_month,
        file_name,
        file_sha256,
        page_number,
        row_order,
        sheet_name,
        cell_ref
    from versions
)

select
    month,
    status_code,
    dimension,
    category_code,
    category_name,
    version_number,
    version_count,
    is_current,
    file_count,
    participants,
    participants_min,
    participants_max,
    is_suppressed,
    is_revision,
    previous_participants,
    report_updated_on,
    period_end_month,
    file_name,
    file_sha256,
    page_number,
    row_order,
    sheet_name,
    cell_ref
from final
