-- Per month, status group and measure group: the measure types a sibling
-- report (TILT110-180) prints, summed, beside TILT100's figure for the group,
-- in the months both reports are loaded for. A group a status has no one in
-- is not printed (0); an empty type cell is none. Both sides may hide cells,
-- so each is a range: [sum of minimums, sum of maximums].
with

participants as (
    select * from {{ ref('fct_participants') }}
),

tiltakstyper as (
    select * from {{ ref('tiltakstyper') }}
),

tiltaksgrupper as (
    select * from {{ ref('tiltaksgrupper') }}
),

type_side as (
    select
        participants.month,
        participants.status_code,
        tiltakstyper.tiltaksgruppe_code,
        sum(participants.participants_min) as types_min,
        sum(participants.participants_max) as types_max,
        count(*) as type_cells
    from participants
    inner join tiltakstyper
        on participants.category_code = tiltakstyper.tiltakstype_code
    where participants.dimension = 'tiltakstype'
    group by participants.month, participants.status_code, tiltakstyper.tiltaksgruppe_code
),

group_side as (
    select
        month,
        status_code,
        category_code as tiltaksgruppe_code,
        participants_min as group_min,
        participants_max as group_max
    from participants
    where dimension = 'tiltaksgruppe'
),

-- the months each report is loaded for (a sibling's by its report code)
sibling_months as (
    select distinct
        month,
        report_code
    from participants
    where dimension = 'tiltakstype'
),

tilt100_months as (
    select distinct month
    from participants
    where dimension = 'tiltaksgruppe'
),

compared as (
    select
        coalesce(type_side.month, group_side.month) as month,
        coalesce(type_side.status_code, group_side.status_code) as status_code,
        coalesce(type_side.tiltaksgruppe_code, group_side.tiltaksgruppe_code)
            as tiltaksgruppe_code,
        coalesce(type_side.types_min, 0) as types_min,
        coalesce(type_side.types_max, 0) as types_max,
        coalesce(type_side.type_cells, 0) as type_cells,
        coalesce(group_side.group_min, 0) as group_min,
        coalesce(group_side.group_max, 0) as group_max
    from type_side
    full outer join group_side
        on
            type_side.month = group_side.month
            and type_side.status_code = group_side.status_code
            and type_side.tiltaksgruppe_code = group_side.tiltaksgruppe_code
),

final as (
    select
        compared.month,
        compared.status_code,
        compared.tiltaksgruppe_code,
        tiltaksgrupper.report_code,
        compared.types_min,
        compared.types_max,
        compared.type_cells,
        compared.group_min,
        compared.group_max
    from compared
    inner join tiltaksgrupper
        on compared.tiltaksgruppe_code = tiltaksgrupper.tiltaksgruppe_code
    inner join sibling_months
        on
            compared.month = sibling_months.month
            and tiltaksgrupper.report_code = sibling_months.report_code
    inner join tilt100_months
        on compared.month = tilt100_months.month
)

select * from final
