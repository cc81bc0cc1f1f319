with

source as (
    select * from {{ ref('arbeidsmarkedsstatus') }}
),

final as (
    select
        status_code,
        label_no as status_label_no,
        label_en as status_label_en,
        sort_order as status_sort_order
    from source
)

select
    status_code,
    status_label_no,
    status_label_en,
    status_sort_order
from final
