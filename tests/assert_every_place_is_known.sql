-- Every row of the siblings' place tables is placed: its block opens with
-- "I alt <type>" of seed tiltakstyper, and a place's row names a fylke or
-- kommune valid in the file's period (seeds fylker, kommuner). A row placed
-- nowhere fails here, named with its file and place; it is never dropped.
select distinct
    file_name,
    sheet_name,
    row_order,
    label_text
from {{ ref('int_tiltakstype__places') }}
where
    tiltakstype_code is null
    or (not is_total_row and place_code is null)
