-- Each printed row placed in its table, block, status and category.
-- A block opens with its "I alt ..." total row; the copy of that row that a
-- block repeats at the top of a continuation page is marked, not counted.
with

files as (
    select * from {{ ref('stg_tilt100__files') }}
),

-- the tables laid out in a block per status group (TILT100's, the siblings'
-- "Arbeidsmarkedsstatus og tiltak"); the siblings' place tables are read by
-- int_tiltakstype__places, TILT030's age blocks by int_tilt030__cells
report_tables as (
    select
        report_code,
        dimension,
        {{ label_key('table_title') }} as table_key
    from {{ ref('report_tables') }}
    where blocks_by = 'status'
),

printed_rows as (
    select rows_.*
    from {{ ref('stg_tilt100__rows') }} as rows_
    inner join files
        on rows_.file_sha256 = files.file_sha256
    inner join report_tables
        on
            files.report_code = report_tables.report_code
            and rows_.table_key = report_tables.table_key
    {% if is_incremental() %}
        -- incremental: the files not yet here (a file's rows depend on it alone)
        where rows_.file_sha256 not in (select done.file_sha256 from {{ this }} as done)
    {% endif %}
),

statuses as (
    select
        status_code,
        {{ label_key('label_no') }} as status_key
    from {{ ref('arbeidsmarkedsstatus') }}
),

categories as (
    select * from {{ ref('int_reference__categories') }}
),

totals as (
    select
        file_sha256,
        table_key,
        row_order,
        label_key,
        coalesce(
            label_key = lag(label_key) over same_table
            and page_number > lag(page_number) over same_table,
            false
        ) as is_repeated_total
    from printed_rows
    where is_total_row
    window same_table as (partition by file_sha256, table_key order by row_order)
),

block_openers as (
    select
        file_sha256,
        table_key,
        row_order as block_row_order,
        label_key as block_label_key
    from totals
    where not is_repeated_total
),

block_statuses as (
    select
        block_openers.*,
        case
            when block_openers.block_label_key = 'ialt' then 'alle'
            else statuses.status_code
        end as block_status_code
    from block_openers
    left join statuses
        on block_openers.block_label_key = 'ialt' || statuses.status_key
),

rows_in_blocks as (
    select
        printed_rows.*,
        block_statuses.block_row_order,
        block_statuses.block_label_key,
        block_statuses.block_status_code,
        report_tables.dimension,
        files.report_code,
        files.report_updated_on,
        files.period_start_month,
        files.period_end_month,
        coalesce(totals.is_repeated_total, false) as is_repeated_total,
        {{ printed_code('report_tables.dimension', 'printed_rows.label_text') }} as printed_code
    from printed_rows
    inner join files
        on printed_rows.file_sha256 = files.file_sha256
    left join report_tables
        on
            files.report_code = report_tables.report_code
            and printed_rows.table_key = report_tables.table_key
    left join totals
        on
            printed_rows.file_sha256 = totals.file_sha256
            and printed_rows.row_order = totals.row_order
    asof left join block_statuses
        on
            printed_rows.file_sha256 = block_statuses.file_sha256
            and printed_rows.table_key = block_statuses.table_key
            and printed_rows.row_order >= block_statuses.block_row_order
),

categorised as (
    select
        rows_in_blocks.*,
        categories.category_code,
        categories.label_no as category_name,
        -- A kommune or fylke label may be clipped by the narrow column, so
        -- the printed name must only be the start of the seed's name.
        starts_with(
            categories.label_key,
            case
                when rows_in_blocks.printed_code is null
                    then rows_in_blocks.label_key
                else {{ label_key("regexp_replace(rows_in_blocks.label_text, '^\d+ ', '')") }}
            end
        ) as is_label_as_seed
    from rows_in_blocks
    left join categories
        on
            not rows_in_blocks.is_total_row
            and {{ is_printed_category('rows_in_blocks', 'categories') }}
),

final as (
    select
        file_sha256,
        row_order,
        page_number,
        source_line,
        sheet_name,
        table_title,
        dimension,
        label_lines,
        label_text,
        label_key,
        is_total_row,
        is_repeated_total,
        block_row_order,
        report_code,
        report_updated_on,
        period_end_month,
        category_code,
        category_name,
        is_label_as_seed,
        -- In the status table the categories are the statuses themselves.
        case
            when dimension = 'arbeidsmarkedsstatus' and not is_total_row
                then category_code
            else block_status_code
        end as status_code
    from categorised
)

select * from final
