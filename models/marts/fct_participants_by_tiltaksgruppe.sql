-- The tiltaksgruppe table of fct_participants for BI tools: one row per month x
-- status group x measure group, with labels and sort orders as columns. Within a
-- month each person on a measure is in exactly one row, so sum(participants)
-- over any filter of categories and status groups counts people once
-- (a suppressed cell adds nothing; participants_min/participants_max hold
-- the range). A sum over months is not a count of people (a stock).
with

participants as (
    select * from {{ ref('fct_participants') }}
    where dimension = 'tiltaksgruppe'
),

categories as (
    select * from {{ ref('dim_category') }}
    where dimension = 'tiltaksgruppe'
),

statuses as (
    select * from {{ ref('dim_arbeidsmarkedsstatus') }}
),

final as (
    select
        participants.month,
        participants.status_code,
        statuses.label_no as status_label_no,
        statuses.label_en as status_label_en,
        statuses.sort_order as status_sort_order,
        participants.category_code as tiltaksgruppe_code,
        categories.label_no as tiltaksgruppe_label_no,
        categories.label_en as tiltaksgruppe_label_en,
        categories.sort_order as tiltaksgruppe_sort_order,
        participants.participants,
        participants.participants_min,
        participants.participants_max,
        participants.is_suppressed,
        participants.series_period,
        participants.is_series_break_month
    from participants
    left join statuses
        on participants.status_code = statuses.status_code
    left join categories
        on
            participants.category_code = categories.category_code
            and participants.month
            between coalesce(categories.valid_from, date '1900-01-01')
            and coalesce(categories.valid_to, date '9999-12-31')
)

select * from final
