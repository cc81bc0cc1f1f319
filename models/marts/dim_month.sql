-- The calendar: one row per month from the first month any landed report
-- prints to the last, with its year, quarter, names, StatBank-style code, the
-- series period and whether a report prints it. Every fact's month joins
-- dim_month.month. Built from the days of metricflow_time_spine: one
-- calendar, the semantic layer's time spine at day and at month grain.
with

days as (
    select date_day from {{ ref('metricflow_time_spine') }}
),

printed_months as (
    select distinct month
    from {{ ref('int_tilt100__cells') }}
    where column_kind = 'month'
    union
    select distinct month
    from {{ ref('int_tilt030__cells') }}
),

-- the breaks of every dimension (a dimension's own, the measure types' of
-- January 2023, is in its facts' series_period)
series_breaks as (
    select distinct break_month from {{ ref('series_breaks') }}
    where dimension is null
),

months as (
    select distinct cast(date_trunc('month', date_day) as date) as month
    from days
),

with_series as (
    select
        months.month,
        count(series_breaks.break_month) + 1 as series_period,
        coalesce(bool_or(series_breaks.break_month = months.month), false)
            as is_series_break_month
    from months
    left join series_breaks
        on months.month >= series_breaks.break_month
    group by months.month
),

final as (
    select
        with_series.month,
        cast(last_day(with_series.month) as date) as month_end,
        cast(year(with_series.month) as integer) as year,
        cast(quarter(with_series.month) as integer) as quarter_number,
        cast(month(with_series.month) as integer) as month_number,
        {{ norwegian_month_name('month(with_series.month)') }} as month_name_no,
        strftime(with_series.month, '%B') as month_name_en,
        strftime(with_series.month, '%YM%m') as statbank_month,
        strftime(with_series.month, '%Y') || 'K'
        || quarter(with_series.month) as statbank_quarter,
        with_series.series_period,
        with_series.is_series_break_month,
        printed_months.month is not null as is_reported
    from with_series
    left join printed_months
        on with_series.month = printed_months.month
)

select
    month,
    month_end,
    year,
    quarter_number,
    month_number,
    month_name_no,
    month_name_en,
    statbank_month,
    statbank_quarter,
    series_period,
    is_series_break_month,
    is_reported
from final
