-- The measure types by kommune for BI tools, from the siblings' "Tiltak og
-- kommune" tables: one row per month x measure type x kommune, every status group
-- together, with labels as columns. Within one month and one type each
-- participant is in one row. A kommune with no one on the type that month (an
-- empty cell) has no row.
with

places as (
    select * from {{ ref('int_tiltakstype__place_months') }}
    where dimension = 'kommune'
),

tiltakstyper as (
    select * from {{ ref('dim_tiltakstype') }}
),

kommuner as (
    select * from {{ ref('dim_kommune') }}
),

final as (
    select
        places.month,
        places.tiltakstype_code,
        tiltakstyper.tiltakstype_label_no,
        tiltakstyper.tiltakstype_label_en,
        tiltakstyper.tiltakstype_sort_order,
        tiltakstyper.tiltaksgruppe_code,
        places.place_code as kommune_nr,
        kommuner.kommune_label_no,
        kommuner.kommune_sort_order,
        places.participants,
        places.participants_min,
        places.participants_max,
        places.is_suppressed,
        places.report_code
    from places
    left join tiltakstyper
        on places.tiltakstype_code = tiltakstyper.tiltakstype_code
    left join kommuner
        on places.place_code = kommuner.kommune_nr
)

select
    month,
    tiltakstype_code,
    tiltakstype_label_no,
    tiltakstype_label_en,
    tiltakstype_sort_order,
    tiltaksgruppe_code,
    kommune_nr,
    kommune_label_no,
    kommune_sort_order,
    participants,
    participants_min,
    participants_max,
    is_suppressed,
    report_code
from final
