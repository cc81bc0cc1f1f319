-- Every printed row's month columns are its report's period, month by month:
-- from the period's first month to its last, in order, none missing, shifted
-- or added. A header shifted by one ("Februar" over January's figures) would
-- put every figure in the wrong month; the build fails, naming the row.
with

files as (
    select * from {{ ref('stg_tilt100__files') }}
),

cells as (
    select * from {{ ref('stg_tilt100__cells') }}
),

printed_rows as (
    select * from {{ ref('stg_tilt100__rows') }}
),

row_months as (
    select
        file_sha256,
        row_order,
        list(column_month_number::bigint order by column_order) filter (
            where column_kind = 'month'
        ) as printed_months,
        string_agg(column_header, ', ' order by column_order) as printed_headers
    from cells
    group by file_sha256, row_order
),

compared as (
    select
        files.file_name,
        files.period_text,
        printed_rows.page_number,
        printed_rows.sheet_name,
        printed_rows.label_text,
        row_months.printed_headers,
        row_months.printed_months,
        range(
            month(files.period_start_month)::bigint,
            month(files.period_end_month)::bigint + 1
        ) as period_months
    from row_months
    inner join files
        on row_months.file_sha256 = files.file_sha256
    inner join printed_rows
        on
            row_months.file_sha256 = printed_rows.file_sha256
            and row_months.row_order = printed_rows.row_order
)

select * from compared
where printed_months is distinct from period_months
