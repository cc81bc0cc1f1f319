{#-
    Every total row of `model` equals the sum of its parts in `parts`,
    joined on `join_columns`, within the bounds that suppression leaves.

    A suppressed cell ("*") holds 1, 2 or 3, so each side is a range
    [sum of minimums, sum of maximums]. With an exact total this is the rule
    "the published total minus the known cells lies between 1x and 3x the
    number of hidden cells". A total without parts, or parts without a
    total, fails too. Hidden values are never imputed.
-#}
{% test sum_of_parts_reconciles(
    model,
    parts,
    join_columns,
    parts_where='true',
    total_min='participants_min',
    total_max='participants_max',
    part_min='participants_min',
    part_max='participants_max'
) %}

with

totals as (
    select
        {% for column in join_columns %}{{ column }},{% endfor %}
        {{ total_min }} as total_min,
        {{ total_max }} as total_max
    from {{ model }}
),

parts_summed as (
    select
        {% for column in join_columns %}{{ column }},{% endfor %}
        sum({{ part_min }}) as parts_min,
        sum({{ part_max }}) as parts_max,
        count(*) as parts_count
    from {{ parts }}
    where {{ parts_where }}
    group by {% for column in join_columns %}{{ column }}{{ ", " if not loop.last }}{% endfor %}
),

compared as (
    select
        {% for column in join_columns -%}
        coalesce(totals.{{ column }}, parts_summed.{{ column }}) as {{ column }},
        {% endfor -%}
        totals.total_min,
        totals.total_max,
        parts_summed.parts_min,
        parts_summed.parts_max,
        parts_summed.parts_count
    from totals
    full outer join parts_summed
        on {% for column in join_columns -%}
        totals.{{ column }} = parts_summed.{{ column }}{{ " and " if not loop.last }}
        {%- endfor %}
)

select * from compared
where
    total_min is null
    or parts_count is null
    or total_max < parts_min
    or total_min > parts_max

{% endtest %}
