with

source as (
    select * from {{ ref('fodeland') }}
),

final as (
    select
        fodeland_code,
        label_no,
        label_en,
        sort_order
    from source
)

select * from final
