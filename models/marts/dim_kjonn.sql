with

source as (
    select * from {{ ref('kjonn') }}
),

final as (
    select
        kjonn_code,
        label_no,
        label_en,
        sort_order
    from source
)

select * from final
