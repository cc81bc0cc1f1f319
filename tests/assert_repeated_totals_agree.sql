-- A block's total row, repeated at the top of a continuation page, must
-- print the same figures as where the block opened.
with

cells as (
    select * from {{ ref('int_tilt100__cells') }}
),

rows_ as (
    select * from {{ ref('int_tilt100__rows') }}
),

repeated as (
    select
        rows_.file_sha256,
        rows_.block_row_order,
        rows_.page_number,
        cells.column_order,
        cells.value_text
    from rows_
    inner join cells
        on
            rows_.file_sha256 = cells.file_sha256
            and rows_.row_order = cells.row_order
    where rows_.is_repeated_total
)

select
    repeated.page_number,
    repeated.column_order,
    repeated.value_text as repeated_value,
    opening.value_text as opening_value
from repeated
left join cells as opening
    on
        repeated.file_sha256 = opening.file_sha256
        and repeated.block_row_order = opening.row_order
        and repeated.column_order = opening.column_order
where opening.value_text is distinct from repeated.value_text
