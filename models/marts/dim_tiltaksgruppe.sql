with

source as (
    select * from {{ ref('tiltaksgrupper') }}
),

final as (
    select
        tiltaksgruppe_code,
        label_no as tiltaksgruppe_label_no,
        label_en as tiltaksgruppe_label_en,
        sort_order as tiltaksgruppe_sort_order,
        report_code
    from source
)

select
    tiltaksgruppe_code,
    tiltaksgruppe_label_no,
    tiltaksgruppe_label_en,
    tiltaksgruppe_sort_order,
    report_code
from final
