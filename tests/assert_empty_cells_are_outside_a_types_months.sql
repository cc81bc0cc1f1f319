-- An empty cell means a measure type had no participants that month: it
-- stands only in a sibling's table of measure types (the extractor refuses
-- one elsewhere), only in a month column, and only in a month outside the
-- type's validity (seed tiltakstyper: valid_from, valid_to). An empty cell in a
-- month the type ran is a figure lost, named here with its file and place.
select
    cells.file_name,
    cells.sheet_name,
    cells.row_order,
    cells.label_text,
    cells.column_header,
    cells.month
from {{ ref('int_tilt100__cells') }} as cells
left join {{ ref('tiltakstyper') }} as tiltakstyper
    on
        cells.dimension = 'tiltakstype'
        and cells.category_code = tiltakstyper.tiltakstype_code
where
    cells.is_empty
    and (
        cells.dimension is distinct from 'tiltakstype'
        or cells.is_total_row
        or cells.month is null
        or cells.month
        between coalesce(tiltakstyper.valid_from, date '1900-01-01')
        and coalesce(tiltakstyper.valid_to, date '9999-12-31')
    )
