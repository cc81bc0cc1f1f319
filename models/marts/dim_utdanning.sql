with

source as (
    select * from {{ ref('utdanningsnivaer') }}
),

final as (
    select
        utdanning_code,
        label_no,
        label_en,
        sort_order,
        ssb_code,
        nus_levels
    from source
)

select * from final
