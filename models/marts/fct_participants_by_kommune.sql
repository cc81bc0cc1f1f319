-- The kommune table with each kommune's fylke as reported, and the kommune
-- and fylke it lies in today, so that a series runs across the 2024 reform.
with

participants as (
    select * from {{ ref('fct_participants') }}
    where dimension = 'kommune'
),

kommuner as (
    select * from {{ ref('dim_kommune') }}
),

kommune_today as (
    select * from {{ ref('int_reference__kommune_today') }}
),

fylker as (
    select * from {{ ref('dim_fylke') }}
),

final as (
    select
        participants.month,
        participants.category_code as kommune_nr,
        participants.category_name as kommune_label_no,
        participants.category_name as kommune_label_en,
        kommuner.fylke_nr,
        kommuner.fylke_label_no,
        kommune_today.kommune_nr_today,
        kommune_today.kommune_nrs_today,
        kommune_today.fylke_nr_today,
        fylker_today.fylke_label_no as fylke_label_no_today,
        participants.participants,
        participants.participants_min,
        participants.participants_max,
        participants.is_suppressed,
        participants.file_name,
        participants.page_number
    from participants
    left join kommuner
        on
            participants.category_code = kommuner.kommune_nr
            and participants.month
            between kommuner.valid_from
            and coalesce(kommuner.valid_to, date '9999-12-31')
    left join kommune_today
        on
            kommuner.kommune_nr = kommune_today.kommune_nr
            and kommuner.valid_from = kommune_today.valid_from
    left join fylker as fylker_today
        on
            kommune_today.fylke_nr_today = fylker_today.fylke_nr
            and fylker_today.valid_to is null
)

select
    month,
    kommune_nr,
    kommune_label_no,
    kommune_label_en,
    fylke_nr,
    fylke_label_no,
    kommune_nr_today,
    kommune_nrs_today,
    fylke_nr_today,
    fylke_label_no_today,
    participants,
    participants_min,
    participants_max,
    is_suppressed,
    file_name,
    page_number
from final
