with

source as (
    select * from {{ ref('kjonn') }}
),

final as (
    select
        kjonn_code,
        label_no as kjonn_label_no,
        label_en as kjonn_label_en,
        sort_order as kjonn_sort_order
    from source
)

select
    kjonn_code,
    kjonn_label_no,
    kjonn_label_en,
    kjonn_sort_order
from final
