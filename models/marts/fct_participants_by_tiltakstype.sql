-- The measure types of the sibling reports (TILT110-180) for BI tools: one
-- row per month x status group x measure type, with the type's measure group
-- as columns. Within one month and one measure group, each person on a
-- measure of the group is in exactly one row; over all groups only where
-- every sibling is loaded for the month (then the types sum to TILT100's
-- status totals). A month a type did not run (an empty cell) has no row.
with

by_type as (
    {{ participants_by_category('tiltakstype', 'tiltakstype_code') }}
),

tiltakstyper as (
    select * from {{ ref('dim_tiltakstype') }}
),

final as (
    select
        by_type.month,
        by_type.status_code,
        by_type.status_label_no,
        by_type.status_label_en,
        by_type.status_sort_order,
        by_type.tiltakstype_code,
        by_type.tiltakstype_label_no,
        by_type.tiltakstype_label_en,
        by_type.tiltakstype_sort_order,
        tiltakstyper.tiltaksgruppe_code,
        tiltakstyper.tiltaksgruppe_label_no,
        by_type.participants,
        by_type.participants_min,
        by_type.participants_max,
        by_type.is_suppressed,
        by_type.series_period,
        by_type.is_series_break_month
    from by_type
    left join tiltakstyper
        on by_type.tiltakstype_code = tiltakstyper.tiltakstype_code
)

select
    month,
    status_code,
    status_label_no,
    status_label_en,
    status_sort_order,
    tiltakstype_code,
    tiltakstype_label_no,
    tiltakstype_label_en,
    tiltakstype_sort_order,
    tiltaksgruppe_code,
    tiltaksgruppe_label_no,
    participants,
    participants_min,
    participants_max,
    is_suppressed,
    series_period,
    is_series_break_month
from final
