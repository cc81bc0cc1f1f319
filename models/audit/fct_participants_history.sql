-- Every version of every leaf figure: each report that printed a month
-- gives one row (twin files of one report, one row), so an analyst sees
-- where a later report revised a month. fct_participants holds the current
-- version (is_current).
with

versions as (
    select * from {{ ref('int_tilt100__month_versions') }}
    where is_version_file
    {% if is_incremental() %}
        -- incremental: the months whose versions hold a file not yet here (a
        -- new report, or a twin that changes a version's file count); they
        -- replace the month's old rows (delete+insert by month)
        and month in (
            select changed.month
            from {{ ref('int_tilt100__month_versions') }} as changed
            where changed.file_sha256 not in (
                select done.file_sha256 from {{ this }} as done
            )
        )
    {% endif %}
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
