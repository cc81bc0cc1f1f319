-- One report in two files (the PDF and its Excel twin, or a text export) is
-- one report: every figure must be the same in each file, and each file must
-- print it. A disagreement fails the build and names the cells.
-- Only reports landed from more than one file are compared.
-- Files are one report version when they share the report's code, its date
-- and the period's last month: that is how the marts order versions
-- (newest_report_first), so files they cannot tell apart must agree, or
-- one would win by its format alone.
with

files_per_report as (
    select
        report_code,
        report_updated_on,
        period_end_month,
        count(*) as file_count
    from {{ ref('stg_tilt100__files') }}
    group by report_code, report_updated_on, period_end_month
    having count(*) > 1
),

all_cells as (
    select * from {{ ref('int_tilt100__cells') }}
    where not is_repeated_total
),

cells as (
    select all_cells.*
    from all_cells
    inner join files_per_report
        on
            all_cells.report_code = files_per_report.report_code
            and all_cells.report_updated_on = files_per_report.report_updated_on
            and all_cells.period_end_month = files_per_report.period_end_month
),

compared as (
    select
        cells.report_code,
        cells.report_updated_on,
        cells.period_end_month,
        cells.dimension,
        cells.status_code,
        cells.column_kind,
        cells.month,
        coalesce(cells.category_code, 'I alt') as category,
        count(distinct cells.file_sha256) as files_printing,
        count(
            distinct [cells.participants_min, cells.participants_max]
        ) as distinct_values,
        string_agg(
            cells.file_name
            || coalesce(
                ', sheet ' || cells.sheet_name || ' cell ' || cells.cell_ref,
                ', page ' || cells.page_number
            )
            || ': ' || cells.value_text,
            '; ' order by cells.file_name
        ) as printed,
        string_agg(distinct cells.report_key, '; ') as report_keys
    from cells
    group by all
)

select
    compared.*,
    files_per_report.file_count
from compared
inner join files_per_report
    on
        compared.report_code = files_per_report.report_code
        and compared.report_updated_on = files_per_report.report_updated_on
        and compared.period_end_month = files_per_report.period_end_month
where
    compared.distinct_values > 1
    or compared.files_printing < files_per_report.file_count
