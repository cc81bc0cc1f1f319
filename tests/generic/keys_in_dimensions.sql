{#-
    Every key of a fact is in its dimension: one test for all of a fact's
    keys (a node each would cost a build more than the queries do). `keys`:
    a list of {column, to (a model's name), field (default: column), where
    (optional: the rows the key applies to)}. A failing row names the
    column, the value its dimension lacks and how many rows hold it.
-#}
{% test keys_in_dimensions(model, keys) %}

{% for key in keys %}
    {% set field = key.field or key.column %}
    select
        '{{ key.column }}' as key_column,
        '{{ key.to }}' as dimension_table,
        cast(fact.{{ key.column }} as varchar) as missing_value,
        count(*) as fact_rows
    from {{ model }} as fact
    where
        fact.{{ key.column }} is not null
        {% if key.where %}and ({{ key.where }}){% endif %}
        and fact.{{ key.column }} not in (
            select dim.{{ field }} from {{ ref(key.to) }} as dim
            where dim.{{ field }} is not null
        )
    group by fact.{{ key.column }}
    {% if not loop.last %}union all{% endif %}
{% endfor %}

{% endtest %}
