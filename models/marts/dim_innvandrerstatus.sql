with

source as (
    select * from {{ ref('innvandrerstatus') }}
),

final as (
    select
        innvandrerstatus_code,
        label_no,
        label_en,
        sort_order
    from source
)

select * from final
