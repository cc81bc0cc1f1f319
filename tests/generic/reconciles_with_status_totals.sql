{#-
    A mart of one dimension counts every person once per month: for each
    month and status group its rows sum to the status group's total (the
    status table's cell), and all its rows to the grand total (I alt, status
    `alle`), within the bounds that suppression leaves.

    A suppressed cell ("*") holds 1, 2 or 3, so each side is a range
    [sum of minimums, sum of maximums]: with an exact total, the published
    total minus the known cells lies between 1x and 3x the number of hidden
    cells. A month of the mart without a grand total, or a status group
    without its total, fails too. Hidden values are never imputed.
    `status_column` is an expression (`'alle'` for the kommune table, which
    counts all status groups together).
-#}
{% test reconciles_with_status_totals(model, status_column='status_code') %}

with

parts as (
    select
        month,
        coalesce({{ status_column }}, 'alle') as status_code,
        participants_min,
        participants_max
    from {{ model }}
),

parts_summed as (
    select
        month,
        status_code,
        sum(participants_min) as parts_min,
        sum(participants_max) as parts_max
    from parts
    group by month, status_code
    -- union, not union all: for the kommune table (all `alle`) the two are one row
    union
    select
        month,
        'alle' as status_code,
        sum(participants_min) as parts_min,
        sum(participants_max) as parts_max
    from parts
    group by month
),

totals as (
    select
        month,
        category_code as status_code,
        participants_min as total_min,
        participants_max as total_max
    from {{ ref('fct_participants') }}
    where dimension = 'arbeidsmarkedsstatus'
    union all
    select
        month,
        status_code,
        participants_min as total_min,
        participants_max as total_max
    from {{ ref('fct_published_totals') }}
    where dimension = 'arbeidsmarkedsstatus' and status_code = 'alle'
),

compared as (
    select
        parts_summed.month,
        parts_summed.status_code,
        parts_summed.parts_min,
        parts_summed.parts_max,
        totals.total_min,
        totals.total_max
    from parts_summed
    left join totals
        on
            parts_summed.month = totals.month
            and parts_summed.status_code = totals.status_code
)

select * from compared
where
    total_min is null
    or total_max < parts_min
    or total_min > parts_max

{% endtest %}
