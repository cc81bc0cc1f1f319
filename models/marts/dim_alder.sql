with

source as (
    select * from {{ ref('aldersgrupper') }}
),

final as (
    select
        aldersgruppe_code,
        label_no,
        label_en,
        sort_order,
        min_age,
        max_age
    from source
)

select * from final
