with

source as (
    select * from {{ ref('innvandrerstatus') }}
),

final as (
    select
        innvandrerstatus_code,
        label_no as innvandrerstatus_label_no,
        label_en as innvandrerstatus_label_en,
        sort_order as innvandrerstatus_sort_order
    from source
)

select
    innvandrerstatus_code,
    innvandrerstatus_label_no,
    innvandrerstatus_label_en,
    innvandrerstatus_sort_order
from final
