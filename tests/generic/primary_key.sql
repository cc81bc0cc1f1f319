{#-
    `column_name` is a key: never NULL and never twice. dbt's `unique` and
    `not_null` in one pass and one node (a build runs each node's overhead
    once). A failing row names the value (NULL included) and how many rows
    hold it.
-#}
{% test primary_key(model, column_name) %}

select
    {{ column_name }} as key_value,
    count(*) as rows_with_it
from {{ model }}
group by {{ column_name }}
having {{ column_name }} is null or count(*) > 1

{% endtest %}
