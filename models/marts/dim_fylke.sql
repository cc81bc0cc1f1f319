with

source as (
    select * from {{ ref('fylker') }}
),

final as (
    select
        fylke_nr,
        fylke_name,
        label_no as fylke_label_no,
        label_en as fylke_label_en,
        sort_order as fylke_sort_order,
        valid_from,
        valid_to,
        valid_to is null as is_current
    from source
)

select
    fylke_nr,
    fylke_name,
    fylke_label_no,
    fylke_label_en,
    fylke_sort_order,
    valid_from,
    valid_to,
    is_current
from final
