-- Every figure of the siblings' place tables ("Tiltak og fylke", from 2025
-- "Tiltak og kommune"), placed: the measure type of its block (opened by
-- "I alt <type>", every status group together) and the fylke or kommune its
-- row names ("03 Oslo", "0301 Oslo", Ukjent), valid in the file's period.
-- An empty cell is no one there that month.
with

files as (
    select * from {{ ref('stg_tilt100__files') }}
),

place_tables as (
    select
        report_code,
        dimension,
        {{ label_key('table_title') }} as table_key
    from {{ ref('report_tables') }}
    where blocks_by = 'tiltakstype'
),

printed_rows as (
    select
        rows_.*,
        place_tables.dimension,
        files.report_code,
        files.period_start_month,
        files.period_end_month,
        {{ printed_code('place_tables.dimension', 'rows_.label_text') }} as printed_code
    from {{ ref('stg_tilt100__rows') }} as rows_
    inner join files
        on rows_.file_sha256 = files.file_sha256
    inner join place_tables
        on
            files.report_code = place_tables.report_code
            and rows_.table_key = place_tables.table_key
),

types as (
    select
        tiltakstype_code,
        {{ label_key('label_no') }} as type_key
    from {{ ref('tiltakstyper') }}
),

places as (
    select * from {{ ref('int_reference__categories') }}
    where dimension in ('fylke', 'kommune')
),

-- each block's opener: "I alt <type>" (NULL type: a label no seed knows)
openers as (
    select
        printed_rows.file_sha256,
        printed_rows.table_key,
        printed_rows.row_order as block_row_order,
        types.tiltakstype_code
    from printed_rows
    left join types
        on printed_rows.label_key = 'ialt' || types.type_key
    where printed_rows.is_total_row
),

placed as (
    select
        printed_rows.*,
        openers.tiltakstype_code,
        places.category_code as place_code
    from printed_rows
    asof left join openers
        on
            printed_rows.file_sha256 = openers.file_sha256
            and printed_rows.table_key = openers.table_key
            and printed_rows.row_order >= openers.block_row_order
    left join places
        on
            not printed_rows.is_total_row
            and {{ is_printed_category('printed_rows', 'places') }}
),

final as (
    select
        cells.file_sha256,
        files.file_name,
        files.file_format,
        files.report_code,
        files.report_updated_on,
        files.period_end_month,
        placed.page_number,
        placed.sheet_name,
        placed.row_order,
        cells.column_order,
        cells.cell_ref,
        placed.dimension,
        placed.label_text,
        placed.is_total_row,
        placed.tiltakstype_code,
        placed.place_code,
        cells.column_kind,
        case
            when cells.column_kind = 'month'
                then make_date(
                    year(files.period_end_month), cells.column_month_number, 1
                )
        end as month,
        cells.value_text,
        cells.participants,
        cells.participants_min,
        cells.participants_max,
        cells.is_suppressed,
        cells.is_empty
    from {{ ref('stg_tilt100__cells') }} as cells
    inner join placed
        on
            cells.file_sha256 = placed.file_sha256
            and cells.row_order = placed.row_order
    inner join files
        on cells.file_sha256 = files.file_sha256
)

select * from final
