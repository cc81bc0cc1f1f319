{#-
    Two figures that should be equal but may each hide suppressed cells:
    each is a range [min, max], and the ranges must overlap.
-#}
{% test ranges_overlap(model, a_min, a_max, b_min, b_max) %}

select *
from {{ model }}
where
    {{ a_max }} < {{ b_min }}
    or {{ b_max }} < {{ a_min }}

{% endtest %}
