-- The age profile of each status group (arbeidsmarkedsstatus): per month,
-- the share of the group's participants in each age band (alder, age in
-- completed years). The denominator is the published "I alt" (total) of the
-- group's age table (fct_published_totals), not the known cells: a band NAV
-- printed as "*" (1-3 people) is never imputed: its share_of_status_total is
-- NULL, the _min/_max columns give its range, and the known shares then sum to a
-- little less than 1.
with

participants as (
    select * from {{ ref('fct_participants_by_alder') }}
),

published_totals as (
    select * from {{ ref('fct_published_totals') }}
    where dimension = 'alder'
),

final as (
    select
        participants.month,
        participants.status_code,
        participants.status_label_en,
        participants.aldersgruppe_code,
        participants.alder_label_no as aldersgruppe_label_no,
        participants.participants,
        participants.is_suppressed,
        published_totals.participants as status_total,
        round(participants.participants / published_totals.participants, 4)
            as share_of_status_total,
        round(
            participants.participants_min / published_totals.participants, 4
        ) as share_of_status_total_min,
        round(
            participants.participants_max / published_totals.participants, 4
        ) as share_of_status_total_max,
        participants.status_sort_order,
        participants.alder_sort_order as aldersgruppe_sort_order
    from participants
    left join published_totals
        on
            participants.month = published_totals.month
            and participants.status_code = published_totals.status_code
)

select * from final
order by month, status_sort_order, aldersgruppe_sort_order
