-- One file prints each figure once: one row per label in a block, one block
-- per status in a table, so one figure per table x status x category x column.
-- A row printed twice (a kommune listed twice, 40 then 31) or two labels of
-- one category would otherwise leave the marts to pick one copy ("the newest
-- report wins" cannot choose within a file): the build fails, naming both
-- places. A block's total repeated at the top of a continuation page is the
-- same figure, compared by assert_repeated_totals_agree.
with

cells as (
    select * from {{ ref('int_tilt100__cells') }}
    where not is_repeated_total
),

grouped as (
    select
        file_name,
        table_title,
        status_code,
        column_header,
        coalesce(category_code, {{ label_key('label_text') }}) as printed_as,
        count(*) as times_printed,
        string_agg(
            label_text || ' ' || value_text || coalesce(
                ' (sheet ' || sheet_name || ', cell ' || cell_ref || ')',
                ' (page ' || page_number || coalesce(', line ' || source_line, '') || ')'
            ),
            '; ' order by row_order
        ) as printed
    from cells
    group by
        file_sha256,
        file_name,
        table_title,
        status_code,
        column_order,
        column_header,
        coalesce(category_code, {{ label_key('label_text') }})
)

select * from grouped
where times_printed > 1
