-- A kommune or fylke row's printed name must be (the start of, when the
-- narrow column clipped it) the seed's name for the printed number.
select
    table_title,
    label_text,
    category_code,
    category_name,
    page_number
from {{ ref('int_tilt100__rows') }}
where not is_total_row and not is_label_as_seed
