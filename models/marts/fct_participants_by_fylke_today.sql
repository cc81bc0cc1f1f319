-- The kommune table summed to today's fylker, per month: one series per
-- fylke that runs across the 2024 reform (2023's 30 Viken kommuner count
-- under 31 Østfold, 32 Akershus or 33 Buskerud). Where a kommune is
-- suppressed the sum is a range and `participants` is NULL.
with

by_kommune as (
    select * from {{ ref('fct_participants_by_kommune') }}
),

summed as (
    select
        month,
        fylke_nr_today as fylke_nr,
        any_value(fylke_name_today) as fylke_name,
        -- BIGINT, not the HUGEINT DuckDB's sum gives: BI drivers map BIGINT
        cast(sum(participants_min) as bigint) as participants_min,
        cast(sum(participants_max) as bigint) as participants_max,
        count(*) as kommune_cells,
        count(*) filter (where is_suppressed) as suppressed_cells
    from by_kommune
    group by month, fylke_nr_today
),

final as (
    select
        month,
        fylke_nr,
        fylke_name,
        case
            when suppressed_cells = 0 then participants_min
        end as participants,
        participants_min,
        participants_max,
        kommune_cells,
        suppressed_cells
    from summed
)

select * from final
