-- Every month figure a TILT030 report prints (the years before 2023),
-- placed: its status group (its table's, seed report_tables), its age band
-- (its block's heading, "<age band> <status group>"), its measure group and
-- type. In a block the measure group stands before its first type only
-- ("Lønnstilskudd Midlertidig lønnstilskudd"), the group closes with
-- "I alt <group>", and the block's total is "I alt <status group>".
with

-- the reports whose tables are laid out in age blocks
files as (
    select * from {{ ref('stg_tilt100__files') }}
    where report_code in (
        select age_tables.report_code from {{ ref('report_tables') }} as age_tables
        where age_tables.blocks_by = 'age'
    )
),

printed_rows as (
    select * from {{ ref('stg_tilt100__rows') }}
    where file_sha256 in (select files.file_sha256 from files)
),

cells as (
    select * from {{ ref('stg_tilt100__cells') }}
    where
        column_kind = 'month'
        and file_sha256 in (select files.file_sha256 from files)
),

report_tables as (
    select
        report_code,
        status_code,
        {{ label_key('table_title') }} as table_key
    from {{ ref('report_tables') }}
    where blocks_by = 'age'
),

statuses as (
    select
        status_code,
        {{ label_key('label_no') }} as status_key
    from {{ ref('arbeidsmarkedsstatus') }}
),

ages as (
    select
        aldersgruppe_code,
        {{ label_key('label_no') }} as age_key
    from {{ ref('aldersgrupper') }}
),

groups as (
    select
        tiltaksgruppe_code,
        {{ label_key('label_no') }} as group_key
    from {{ ref('tiltaksgrupper') }}
),

-- a type's row: its label alone, or its group's label before it
type_labels as (
    select
        old_types.tiltaksgruppe_code,
        old_types.tiltakstype_code,
        {{ label_key('old_types.label_no') }} as type_key,
        groups.group_key || {{ label_key('old_types.label_no') }} as opening_key
    from {{ ref('tilt030_tiltakstyper') }} as old_types
    inner join groups
        on old_types.tiltaksgruppe_code = groups.tiltaksgruppe_code
),

placed as (
    select
        printed_rows.file_sha256,
        printed_rows.row_order,
        printed_rows.page_number,
        printed_rows.sheet_name,
        printed_rows.table_title,
        printed_rows.block_heading,
        printed_rows.label_text,
        report_tables.status_code,
        ages.aldersgruppe_code,
        case
            when printed_rows.label_key = 'ialt' || statuses.status_key
                then 'status_total'
            when group_totals.tiltaksgruppe_code is not null
                then 'group_total'
            when type_labels.tiltakstype_code is not null
                then 'type'
        end as row_kind,
        coalesce(
            group_totals.tiltaksgruppe_code, type_labels.tiltaksgruppe_code
        ) as tiltaksgruppe_code,
        type_labels.tiltakstype_code,
        -- the heading names the table's status group after the age band
        {{ label_key('printed_rows.block_heading') }}
        = ages.age_key || statuses.status_key as is_heading_as_table
    from printed_rows
    inner join files
        on printed_rows.file_sha256 = files.file_sha256
    left join report_tables
        on
            files.report_code = report_tables.report_code
            and printed_rows.table_key = report_tables.table_key
    left join statuses
        on report_tables.status_code = statuses.status_code
    left join ages
        on starts_with({{ label_key('printed_rows.block_heading') }}, ages.age_key)
    left join groups as group_totals
        on printed_rows.label_key = 'ialt' || group_totals.group_key
    left join type_labels
        on
            not printed_rows.is_total_row
            and printed_rows.label_key
            in (type_labels.type_key, type_labels.opening_key)
),

final as (
    select
        cells.file_sha256,
        files.file_name,
        files.report_code,
        files.report_updated_on,
        files.period_end_month,
        files.file_format,
        placed.page_number,
        placed.sheet_name,
        placed.row_order,
        cells.column_order,
        cells.cell_ref,
        placed.table_title,
        placed.block_heading,
        placed.label_text,
        placed.status_code,
        placed.aldersgruppe_code,
        placed.is_heading_as_table,
        placed.row_kind,
        placed.tiltaksgruppe_code,
        placed.tiltakstype_code,
        make_date(
            year(files.period_end_month), cells.column_month_number, 1
        ) as month,
        cells.value_text,
        cells.participants,
        cells.participants_min,
        cells.participants_max,
        cells.is_suppressed
    from cells
    inner join placed
        on
            cells.file_sha256 = placed.file_sha256
            and cells.row_order = placed.row_order
    inner join files
        on cells.file_sha256 = files.file_sha256
)

select * from final
