-- Kommuner (municipalities) ranked within their fylke (county) by
-- participants in the latest month, all status groups together (the kommune
-- table prints only the total, status `alle`). The fylke is the one NAV
-- counted the kommune under that month (fct_participants_by_kommune.fylke_nr;
-- today's fylke for reports from 2024 on). A kommune printed as "*" (1-3
-- people) is never imputed: its rank_in_fylke is NULL (it lies below every
-- kommune with a known figure), and rank_in_fylke ranks the known figures
-- only (ties share a rank).
with

kommune_participants as (
    select * from {{ ref('fct_participants_by_kommune') }}
),

kommuner as (
    select * from {{ ref('dim_kommune') }}
),

fylker as (
    select * from {{ ref('dim_fylke') }}
),

latest_month as (
    select max(month) as month from kommune_participants
),

ranked as (
    select
        kommune_participants.month,
        kommune_participants.fylke_nr,
        kommune_participants.fylke_label_no,
        kommune_participants.kommune_nr,
        kommune_participants.kommune_label_no,
        kommune_participants.participants,
        kommune_participants.participants_min,
        kommune_participants.participants_max,
        kommune_participants.is_suppressed,
        case
            when kommune_participants.participants is not null
                then rank() over (
                    partition by kommune_participants.fylke_nr
                    order by kommune_participants.participants desc nulls last
                )
        end as rank_in_fylke,
        count(*) over (partition by kommune_participants.fylke_nr)
            as kommuner_in_fylke,
        count_if(kommune_participants.is_suppressed)
            over (partition by kommune_participants.fylke_nr)
            as suppressed_kommuner_in_fylke
    from kommune_participants
    inner join latest_month
        on kommune_participants.month = latest_month.month
),

final as (
    select
        ranked.month,
        ranked.fylke_nr,
        ranked.fylke_label_no,
        ranked.rank_in_fylke,
        ranked.kommune_nr,
        ranked.kommune_label_no,
        kommuner.kommune_name as kommune_official_name,
        ranked.participants,
        ranked.participants_min,
        ranked.participants_max,
        ranked.is_suppressed,
        ranked.kommuner_in_fylke,
        ranked.suppressed_kommuner_in_fylke,
        fylker.fylke_sort_order
    from ranked
    left join kommuner
        on ranked.kommune_nr = kommuner.kommune_nr
    left join fylker
        on ranked.fylke_nr = fylker.fylke_nr
)

select * from final
order by fylke_sort_order, rank_in_fylke nulls last, kommune_nr
