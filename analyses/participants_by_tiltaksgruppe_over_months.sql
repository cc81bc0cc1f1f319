-- Participants by tiltaksgruppe (measure group) over the months, per status
-- group (arbeidsmarkedsstatus): one row per status group x measure group x
-- month, in the report's order. `participants` is NULL where NAV printed "*"
-- (1-3 people) and is never imputed; participants_min/participants_max give
-- the range. A measure group a status block does not print (arbeidssokere
-- have no Tilrettelagt arbeid) has no row. Mind the series break in April
-- 2025: chart each series_period of arbeidssokere and andre as its own line.
with

participants as (
    select * from {{ ref('fct_participants') }}
    where dimension = 'tiltaksgruppe'
),

statuses as (
    select * from {{ ref('dim_arbeidsmarkedsstatus') }}
),

tiltaksgrupper as (
    select * from {{ ref('dim_tiltaksgruppe') }}
),

final as (
    select
        participants.status_code,
        statuses.status_label_en,
        participants.category_code as tiltaksgruppe_code,
        tiltaksgrupper.tiltaksgruppe_label_no,
        tiltaksgrupper.tiltaksgruppe_label_en,
        participants.month,
        participants.participants,
        participants.participants_min,
        participants.participants_max,
        participants.is_suppressed,
        participants.series_period,
        participants.is_series_break_month,
        statuses.status_sort_order,
        tiltaksgrupper.tiltaksgruppe_sort_order
    from participants
    left join statuses
        on participants.status_code = statuses.status_code
    left join tiltaksgrupper
        on participants.category_code = tiltaksgrupper.tiltaksgruppe_code
)

select * from final
order by status_sort_order, tiltaksgruppe_sort_order, month
