-- In each TILT030 age block and month: each measure group's types summed
-- beside its "I alt <group>" row, and the groups' totals summed beside the
-- block's "I alt <status group>". Each side is a range ("*" is 1-3).
with

cells as (
    select * from {{ ref('int_tilt030__cells') }}
),

types_by_group as (
    select
        file_sha256,
        block_heading,
        month,
        tiltaksgruppe_code as total_of,
        sum(participants_min) as parts_min,
        sum(participants_max) as parts_max
    from cells
    where row_kind = 'type'
    group by file_sha256, block_heading, month, tiltaksgruppe_code
),

groups_by_block as (
    select
        file_sha256,
        block_heading,
        month,
        'alle' as total_of,
        sum(participants_min) as parts_min,
        sum(participants_max) as parts_max
    from cells
    where row_kind = 'group_total'
    group by file_sha256, block_heading, month
),

parts as (
    select * from types_by_group
    union all
    select * from groups_by_block
),

totals as (
    select
        file_sha256,
        file_name,
        sheet_name,
        block_heading,
        month,
        case
            when row_kind = 'group_total' then tiltaksgruppe_code else 'alle'
        end as total_of,
        participants_min as total_min,
        participants_max as total_max
    from cells
    where row_kind in ('group_total', 'status_total')
),

final as (
    select
        totals.file_name,
        totals.sheet_name,
        coalesce(totals.file_sha256, parts.file_sha256) as file_sha256,
        coalesce(totals.block_heading, parts.block_heading) as block_heading,
        coalesce(totals.month, parts.month) as month,
        coalesce(totals.total_of, parts.total_of) as total_of,
        coalesce(parts.parts_min, 0) as parts_min,
        coalesce(parts.parts_max, 0) as parts_max,
        coalesce(totals.total_min, 0) as total_min,
        coalesce(totals.total_max, 0) as total_max
    from totals
    full outer join parts
        on
            totals.file_sha256 = parts.file_sha256
            and totals.block_heading = parts.block_heading
            and totals.month = parts.month
            and totals.total_of = parts.total_of
)

select * from final
