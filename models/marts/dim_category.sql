-- Every category of every dimension in one table, so a BI tool can label
-- and sort fct_participants with one join on (dimension, category_code).
with

categories as (
    select * from {{ ref('int_reference__categories') }}
),

final as (
    select
        dimension,
        category_code,
        label_no as category_label_no,
        label_en as category_label_en,
        sort_order as category_sort_order,
        valid_from,
        valid_to
    from categories
)

select
    dimension,
    category_code,
    category_label_no,
    category_label_en,
    category_sort_order,
    valid_from,
    valid_to
from final
