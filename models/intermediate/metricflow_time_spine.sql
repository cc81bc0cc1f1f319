-- One row per day: the calendar MetricFlow (dbt's semantic layer) requires
-- to join metrics over time (time_spine in metricflow_time_spine.yml).
-- The marts are monthly; a daily spine serves every coarser grain.
with

days as (
    select range as day_start
    from range(timestamp '2015-01-01', timestamp '2041-01-01', interval 1 day)
),

final as (
    select cast(day_start as date) as date_day
    from days
)

select * from final
