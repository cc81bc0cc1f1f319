{#- Within each group, every row holds the same value(s). -#}
{% test single_value_per_group(model, group_by, value_columns) %}

select
    {% for column in group_by %}{{ column }}, {% endfor %}
    count(*) as rows_in_group,
    count(distinct ({{ value_columns | join(', ') }})) as distinct_values
from {{ model }}
group by {{ group_by | join(', ') }}
having count(distinct ({{ value_columns | join(', ') }})) > 1

{% endtest %}
