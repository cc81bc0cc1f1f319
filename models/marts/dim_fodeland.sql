with

source as (
    select * from {{ ref('fodeland') }}
),

final as (
    select
        fodeland_code,
        label_no as fodeland_label_no,
        label_en as fodeland_label_en,
        sort_order as fodeland_sort_order
    from source
)

select
    fodeland_code,
    fodeland_label_no,
    fodeland_label_en,
    fodeland_sort_order
from final
