{#-
    The body of a mart of the measure types by place
    (fct_participants_by_tiltakstype_and_<dimension>): the siblings' place
    figures of one dimension (`fylke` or `kommune`), one row per month x
    type x place, with the type's and the place's labels and sort orders as
    columns. `code_column` names the place's code as its dimension does
    (fylke_nr, kommune_nr).
-#}
{% macro participants_by_tiltakstype_and_place(dimension, code_column) -%}
with

places as (
    select * from {{ ref('int_tiltakstype__place_months') }}
    where dimension = '{{ dimension }}'
),

tiltakstyper as (
    select * from {{ ref('dim_tiltakstype') }}
),

place_labels as (
    select * from {{ ref('dim_' ~ dimension) }}
),

final as (
    select
        places.month,
        places.tiltakstype_code,
        tiltakstyper.tiltakstype_label_no,
        tiltakstyper.tiltakstype_label_en,
        tiltakstyper.tiltakstype_sort_order,
        tiltakstyper.tiltaksgruppe_code,
        places.place_code as {{ code_column }},
        place_labels.{{ dimension }}_label_no,
        place_labels.{{ dimension }}_sort_order,
        places.participants,
        places.participants_min,
        places.participants_max,
        places.is_suppressed,
        places.report_code
    from places
    left join tiltakstyper
        on places.tiltakstype_code = tiltakstyper.tiltakstype_code
    left join place_labels
        on places.place_code = place_labels.{{ code_column }}
)

select
    month,
    tiltakstype_code,
    tiltakstype_label_no,
    tiltakstype_label_en,
    tiltakstype_sort_order,
    tiltaksgruppe_code,
    {{ code_column }},
    {{ dimension }}_label_no,
    {{ dimension }}_sort_order,
    participants,
    participants_min,
    participants_max,
    is_suppressed,
    report_code
from final
{%- endmacro %}
