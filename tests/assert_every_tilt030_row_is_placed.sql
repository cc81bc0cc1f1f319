-- Every row TILT030 prints is placed: its table names a status group (seed
-- report_tables), its block's heading an age band and that status group,
-- its label a block total, a measure group's total or a type of seed
-- tilt030_tiltakstyper (alone, or after its group's label). A row that is
-- none of these (a type no seed knows, a heading of another status) fails
-- here, named with its file and place; it is never dropped.
select distinct
    file_name,
    sheet_name,
    row_order,
    block_heading,
    label_text
from {{ ref('int_tilt030__cells') }}
where
    status_code is null
    or aldersgruppe_code is null
    or not coalesce(is_heading_as_table, false)
    or row_kind is null
