with

source as (
    select * from {{ ref('utdanningsnivaer') }}
),

final as (
    select
        utdanning_code,
        label_no as utdanning_label_no,
        label_en as utdanning_label_en,
        sort_order as utdanning_sort_order,
        ssb_code,
        nus_levels
    from source
)

select
    utdanning_code,
    utdanning_label_no,
    utdanning_label_en,
    utdanning_sort_order,
    ssb_code,
    nus_levels
from final
