with

source as (
    select * from {{ ref('aldersgrupper') }}
),

final as (
    select
        aldersgruppe_code,
        label_no as alder_label_no,
        label_en as alder_label_en,
        sort_order as alder_sort_order,
        min_age,
        max_age
    from source
)

select
    aldersgruppe_code,
    alder_label_no,
    alder_label_en,
    alder_sort_order,
    min_age,
    max_age
from final
