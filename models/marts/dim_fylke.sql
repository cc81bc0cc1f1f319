with

source as (
    select * from {{ ref('fylker') }}
),

final as (
    select
        fylke_nr,
        fylke_name,
        label_no,
        label_en,
        sort_order,
        valid_from,
        valid_to,
        valid_to is null as is_current
    from source
)

select * from final
