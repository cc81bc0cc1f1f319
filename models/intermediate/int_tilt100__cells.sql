-- Every printed figure with its row's meaning and its lineage: the month it
-- is for (NULL in the year-to-date average column).
with

cells as (
    select * from {{ ref('stg_tilt100__cells') }}
    {% if is_incremental() %}
        -- incremental: the files not yet here (a file's cells depend on it alone)
        where file_sha256 not in (select done.file_sha256 from {{ this }} as done)
    {% endif %}
),

classified_rows as (
    select * from {{ ref('int_tilt100__rows') }}
),

files as (
    select * from {{ ref('stg_tilt100__files') }}
),

joined as (
    select
        cells.file_sha256,
        files.report_key,
        files.report_code,
        files.file_name,
        files.file_format,
        files.report_updated_on,
        files.period_start_month,
        files.period_end_month,
        classified_rows.page_number,
        classified_rows.row_order,
        classified_rows.source_line,
        classified_rows.sheet_name,
        cells.cell_ref,
        classified_rows.table_title,
        classified_rows.dimension,
        classified_rows.status_code,
        classified_rows.category_code,
        classified_rows.category_name,
        classified_rows.label_text,
        classified_rows.is_total_row,
        classified_rows.is_repeated_total,
        cells.column_order,
        cells.column_header,
        cells.column_kind,
        cells.value_text,
        cells.participants,
        cells.participants_min,
        cells.participants_max,
        cells.is_suppressed,
        cells.is_empty,
        case
            when cells.column_kind = 'month'
                then make_date(
                    year(files.period_end_month), cells.column_month_number, 1
                )
        end as month
    from cells
    inner join classified_rows
        on
            cells.file_sha256 = classified_rows.file_sha256
            and cells.row_order = classified_rows.row_order
    inner join files
        on cells.file_sha256 = files.file_sha256
)

select * from joined
