{#- Every row satisfies `expression`; the rows that do not are the failures. -#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not ({{ expression }})

{% endtest %}
