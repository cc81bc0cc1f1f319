-- The kommune table with each kommune's fylke, for maps and drill-downs.
with

participants as (
    select * from {{ ref('fct_participants') }}
    where dimension = 'kommune'
),

kommuner as (
    select * from {{ ref('dim_kommune') }}
),

final as (
    select
        participants.month,
        participants.category_code as kommune_nr,
        participants.category_name as kommune_name,
        kommuner.fylke_nr,
        kommuner.fylke_label_no as fylke_name,
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
            between coalesce(kommuner.valid_from, date '1900-01-01')
            and coalesce(kommuner.valid_to, date '9999-12-31')
)

select * from final
