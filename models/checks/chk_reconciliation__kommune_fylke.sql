-- Kommuner summed by fylke (through the kommune seed) against the fylke
-- table summed over the three statuses, per month. Both sides may hide
-- cells, so each is a range: [sum of minimums, sum of maximums].
with

participants as (
    select * from {{ ref('fct_participants') }}
),

kommuner as (
    select * from {{ ref('kommuner') }}
),

kommune_side as (
    select
        participants.month,
        kommuner.fylke_nr,
        sum(participants.participants_min) as kommune_min,
        sum(participants.participants_max) as kommune_max,
        count(*) as kommune_cells
    from participants
    inner join kommuner
        on
            participants.category_code = kommuner.kommune_nr
            and participants.month
            between coalesce(kommuner.valid_from, date '1900-01-01')
            and coalesce(kommuner.valid_to, date '9999-12-31')
    where participants.dimension = 'kommune'
    group by participants.month, kommuner.fylke_nr
),

fylke_side as (
    select
        month,
        category_code as fylke_nr,
        sum(participants_min) as fylke_min,
        sum(participants_max) as fylke_max,
        count(*) as fylke_cells
    from participants
    where dimension = 'fylke'
    group by month, category_code
),

compared as (
    select
        coalesce(kommune_side.month, fylke_side.month) as month,
        coalesce(kommune_side.fylke_nr, fylke_side.fylke_nr) as fylke_nr,
        coalesce(kommune_side.kommune_min, 0) as kommune_min,
        coalesce(kommune_side.kommune_max, 0) as kommune_max,
        coalesce(kommune_side.kommune_cells, 0) as kommune_cells,
        coalesce(fylke_side.fylke_min, 0) as fylke_min,
        coalesce(fylke_side.fylke_max, 0) as fylke_max,
        coalesce(fylke_side.fylke_cells, 0) as fylke_cells
    from kommune_side
    full outer join fylke_side
        on
            kommune_side.month = fylke_side.month
            and kommune_side.fylke_nr = fylke_side.fylke_nr
)

select * from compared
