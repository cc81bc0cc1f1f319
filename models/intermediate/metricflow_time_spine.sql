-- One row per day from the first day of the first month any landed report
-- prints to the last day of the last: the calendar's days. dim_month (marts)
-- is built from it, one row per month, and is the semantic layer's time spine
-- at month grain; dbt requires one at day grain as well, and this is it
-- (time_spine in metricflow_time_spine.yml): one calendar, two grains.
with

printed_months as (
    select month
    from {{ ref('int_tilt100__cells') }}
    where column_kind = 'month'
    union all
    select month
    from {{ ref('int_tilt030__cells') }}
),

span as (
    select
        min(month) as first_month,
        max(month) as last_month
    from printed_months
),

days as (
    select day_range.day_start
    from span
    cross join
        range(
            cast(span.first_month as timestamp),
            cast(span.last_month as timestamp) + interval 1 month,
            interval 1 day
        ) as day_range (day_start)
),

final as (
    select cast(day_start as date) as date_day
    from days
)

select * from final
