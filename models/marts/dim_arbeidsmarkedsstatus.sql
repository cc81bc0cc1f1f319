with

source as (
    select * from {{ ref('arbeidsmarkedsstatus') }}
),

final as (
    select
        status_code,
        label_no,
        label_en,
        sort_order
    from source
)

select * from final
