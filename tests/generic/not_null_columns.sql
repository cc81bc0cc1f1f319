{#-
    None of `columns` is NULL, in one pass over the model (a view is
    computed once, not once per column). A failing row names the column and
    how many rows hold NULL in it.
-#}
{% test not_null_columns(model, columns) %}

with

counted as (
    select
        {% for column in columns %}
            count(*) filter (where {{ column }} is null) as {{ column }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from {{ model }}
),

per_column as (
    unpivot counted
    on {{ columns | join(', ') }}
    into name null_column value null_rows
)

select
    null_column,
    null_rows
from per_column
where null_rows > 0

{% endtest %}
