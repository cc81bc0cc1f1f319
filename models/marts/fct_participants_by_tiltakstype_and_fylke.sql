-- The measure types by fylke for BI tools, from the siblings' "Tiltak og
-- fylke" tables: one row per month x measure type x fylke, every status group
-- together, with labels as columns. Within one month and one type each
-- participant is in one row. A fylke with no one on the type that month (an
-- empty cell) has no row.
with

places as (
    select * from {{ ref('int_tiltakstype__place_months') }}
    where dimension = 'fylke'
),

tiltakstyper as (
    select * from {{ ref('dim_tiltakstype') }}
),

fylker as (
    select * from {{ ref('dim_fylke') }}
),

final as (
    select
        places.month,
        places.tiltakstype_code,
        tiltakstyper.tiltakstype_label_no,
        tiltakstyper.tiltakstype_label_en,
        tiltakstyper.tiltakstype_sort_order,
        tiltakstyper.tiltaksgruppe_code,
        places.place_code as fylke_nr,
        fylker.fylke_label_no,
        fylker.fylke_sort_order,
        places.participants,
        places.participants_min,
        places.participants_max,
        places.is_suppressed,
        places.report_code
    from places
    left join tiltakstyper
        on places.tiltakstype_code = tiltakstyper.tiltakstype_code
    left join fylker
        on places.place_code = fylker.fylke_nr
)

select
    month,
    tiltakstype_code,
    tiltakstype_label_no,
    tiltakstype_label_en,
    tiltakstype_sort_order,
    tiltaksgruppe_code,
    fylke_nr,
    fylke_label_no,
    fylke_sort_order,
    participants,
    participants_min,
    participants_max,
    is_suppressed,
    report_code
from final
