-- One report in two files (the PDF and its Excel twin, or a text export) is
-- one report: every figure must be the same in each file, and each file must
-- print it. A disagreement fails the build and names the cells.
-- Only reports landed from more than one file are compared.
with

files_per_report as (
    select
        report_key,
        count(*) as file_count
    from {{ ref('stg_tilt100__files') }}
    group by report_key
    having count(*) > 1
),

cells as (
    select * from {{ ref('int_tilt100__cells') }}
    where
        not is_repeated_total
        and report_key in (select files_per_report.report_key from files_per_report)
),

compared as (
    select
        cells.report_key,
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
        ) as printed
    from cells
    group by all
)

select
    compared.*,
    files_per_report.file_count
from compared
inner join files_per_report
    on compared.report_key = files_per_report.report_key
where
    compared.distinct_values > 1
    or compared.files_printing < files_per_report.file_count
