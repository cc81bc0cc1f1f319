-- Every kommune number a report may print, in any period, mapped to today's
-- kommune and fylke: numbers still valid map to themselves, numbers that
-- ceased on 2024-01-01 through SSB's crosswalk. A kommune that was split
-- (1507 Ålesund into 1508 Ålesund and 1580 Haram) has no single kommune
-- today, but every kommune maps into one fylke today.
with

kommuner as (
    select * from {{ ref('kommuner') }}
),

crosswalk as (
    select * from {{ ref('kommune_crosswalk') }}
),

current_kommuner as (
    select
        kommune_nr,
        fylke_nr
    from kommuner
    where valid_to is null
),

still_valid as (
    select
        kommuner.kommune_nr,
        kommuner.valid_from,
        current_kommuner.kommune_nr as kommune_nr_today,
        current_kommuner.fylke_nr as fylke_nr_today
    from kommuner
    inner join current_kommuner
        on kommuner.kommune_nr = current_kommuner.kommune_nr
    where kommuner.valid_to is null
),

ceased as (
    select
        kommuner.kommune_nr,
        kommuner.valid_from,
        current_kommuner.kommune_nr as kommune_nr_today,
        current_kommuner.fylke_nr as fylke_nr_today
    from kommuner
    inner join crosswalk
        on kommuner.kommune_nr = crosswalk.old_nr
    inner join current_kommuner
        on crosswalk.new_nr = current_kommuner.kommune_nr
    where kommuner.valid_to is not null
),

unioned as (
    select * from still_valid
    union all
    select * from ceased
),

final as (
    select
        kommune_nr,
        valid_from,
        case
            when count(distinct kommune_nr_today) = 1
                then min(kommune_nr_today)
        end as kommune_nr_today,
        string_agg(
            distinct kommune_nr_today, ', ' order by kommune_nr_today
        ) as kommune_nrs_today,
        min(fylke_nr_today) as fylke_nr_today,
        count(distinct fylke_nr_today) as fylke_count_today
    from unioned
    group by kommune_nr, valid_from
)

select * from final
