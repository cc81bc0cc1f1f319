-- The measure types of the sibling reports (TILT110-180) for BI tools: one
-- row per month x status group x measure type, with the type's measure group
-- and labels as columns. Within one month and one measure group, each person
-- on a measure of the group is in exactly one row; over all groups only where
-- every sibling is loaded for the month (then the types sum to TILT100's
-- status totals). A month a type did not run (an empty cell) has no row.
with

participants as (
    select * from {{ ref('fct_participants') }}
    where dimension = 'tiltakstype'
),

tiltakstyper as (
    select * from {{ ref('dim_tiltakstype') }}
),

statuses as (
    select * from {{ ref('dim_arbeidsmarkedsstatus') }}
),

final as (
    select
        participants.month,
        participants.status_code,
        statuses.status_label_no,
        statuses.status_label_en,
        statuses.status_sort_order,
        participants.category_code as tiltakstype_code,
        tiltakstyper.tiltakstype_label_no,
        tiltakstyper.tiltakstype_label_en,
        tiltakstyper.tiltakstype_sort_order,
        tiltakstyper.tiltaksgruppe_code,
        tiltakstyper.tiltaksgruppe_label_no,
        participants.report_code,
        participants.participants,
        participants.participants_min,
        participants.participants_max,
        participants.is_suppressed,
        participants.series_period,
        participants.is_series_break_month
    from participants
    left join statuses
        on participants.status_code = statuses.status_code
    left join tiltakstyper
        on participants.category_code = tiltakstyper.tiltakstype_code
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
    report_code,
    participants,
    participants_min,
    participants_max,
    is_suppressed,
    series_period,
    is_series_break_month
from final
