-- One row per month x today's fylke, all status groups together: one series
-- per fylke that runs across the 2024 reform (2023's 30 Viken kommuner count
-- under 31 Østfold, 32 Akershus or 33 Buskerud).
--
-- Two printed sources bound each figure: the kommune table summed to today's
-- fylker, and, where the fylke is the one the report printed (the same
-- kommuner under the same number in that month), the fylke table summed over
-- the status groups. Each gives a range (a suppressed cell counts 1 to 3);
-- the figure lies in both, so the range is their overlap, and participants
-- is known when the overlap is one number. A fylke the reform changed has
-- only the kommune sum. Never imputed.
with

by_kommune as (
    select * from {{ ref('fct_participants_by_kommune') }}
),

by_fylke as (
    select * from {{ ref('fct_participants_by_fylke') }}
),

kommune_sums as (
    select
        month,
        fylke_nr_today as fylke_nr,
        any_value(fylke_label_no_today) as fylke_label_no,
        sum(participants_min) as participants_min,
        sum(participants_max) as participants_max,
        count(*) as kommune_cells,
        count(*) filter (where is_suppressed) as suppressed_cells,
        -- the fylke as printed that month is today's: every kommune of it lies in it
        bool_and(coalesce(fylke_nr = fylke_nr_today, false)) as is_printed_fylke
    from by_kommune
    group by month, fylke_nr_today
),

-- a printed fylke number whose kommuner went elsewhere (30 Viken) is not today's fylke
printed_elsewhere as (
    select distinct
        month,
        fylke_nr
    from by_kommune
    where fylke_nr != fylke_nr_today
),

fylke_sums as (
    select
        month,
        fylke_nr,
        sum(participants_min) as participants_min,
        sum(participants_max) as participants_max
    from by_fylke
    group by month, fylke_nr
),

bounded as (
    select
        kommune_sums.month,
        kommune_sums.fylke_nr,
        kommune_sums.fylke_label_no,
        kommune_sums.kommune_cells,
        kommune_sums.suppressed_cells,
        fylke_sums.fylke_nr is not null as is_bounded_by_fylke_table,
        greatest(
            kommune_sums.participants_min,
            coalesce(fylke_sums.participants_min, kommune_sums.participants_min)
        ) as participants_min,
        least(
            kommune_sums.participants_max,
            coalesce(fylke_sums.participants_max, kommune_sums.participants_max)
        ) as participants_max
    from kommune_sums
    left join printed_elsewhere
        on
            kommune_sums.month = printed_elsewhere.month
            and kommune_sums.fylke_nr = printed_elsewhere.fylke_nr
    left join fylke_sums
        on
            kommune_sums.month = fylke_sums.month
            and kommune_sums.fylke_nr = fylke_sums.fylke_nr
            and kommune_sums.is_printed_fylke
            and printed_elsewhere.fylke_nr is null
),

final as (
    select
        month,
        fylke_nr,
        fylke_label_no,
        -- INTEGER like every other count in the marts (not the HUGEINT DuckDB's sum gives)
        cast(
            case when participants_min = participants_max then participants_min end as integer
        ) as participants,
        cast(participants_min as integer) as participants_min,
        cast(participants_max as integer) as participants_max,
        cast(kommune_cells as integer) as kommune_cells,
        cast(suppressed_cells as integer) as suppressed_cells,
        is_bounded_by_fylke_table
    from bounded
)

select
    month,
    fylke_nr,
    fylke_label_no,
    participants,
    participants_min,
    participants_max,
    kommune_cells,
    suppressed_cells,
    is_bounded_by_fylke_table
from final
