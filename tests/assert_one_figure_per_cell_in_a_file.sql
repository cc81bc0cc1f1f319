-- One file prints each figure once: one row per label in a block, one block
-- per status in a table, so one figure per table x status x category x column.
-- A row printed twice (a kommune listed twice, 40 then 31) or two labels of
-- one category would otherwise leave the marts to pick one copy ("the newest
-- report wins" cannot choose within a file): the build fails, naming both
-- places. A block's total repeated at the top of a continuation page is the
-- same figure, compared by assert_repeated_totals_agree.
with

cells as (
    select
        *,
        coalesce(category_code, {{ label_key('label_text') }}) as printed_as
    from {{ ref('int_tilt100__cells') }}
    where not is_repeated_total
),

-- counted first (cheap), so only the figures printed twice are spelled out
printed_twice as (
    select
        file_sha256,
        table_title,
        status_code,
        column_order,
        printed_as
    from cells
    group by file_sha256, table_title, status_code, column_order, printed_as
    having count(*) > 1
),

grouped as (
    select
        cells.file_name,
        cells.table_title,
        cells.status_code,
        cells.column_header,
        cells.printed_as,
        count(*) as times_printed,
        string_agg(
            cells.label_text || ' ' || cells.value_text || coalesce(
                ' (sheet ' || cells.sheet_name || ', cell ' || cells.cell_ref || ')',
                ' (page ' || cells.page_number
                || coalesce(', line ' || cells.source_line, '') || ')'
            ),
            '; ' order by cells.row_order
        ) as printed
    from cells
    inner join printed_twice
        on
            cells.file_sha256 = printed_twice.file_sha256
            and cells.table_title is not distinct from printed_twice.table_title
            and cells.status_code is not distinct from printed_twice.status_code
            and cells.column_order is not distinct from printed_twice.column_order
            and cells.printed_as is not distinct from printed_twice.printed_as
    group by
        cells.file_sha256,
        cells.file_name,
        cells.table_title,
        cells.status_code,
        cells.column_order,
        cells.column_header,
        cells.printed_as
)

select * from grouped
