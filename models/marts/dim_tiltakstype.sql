with

tiltakstyper as (
    select * from {{ ref('tiltakstyper') }}
),

tiltaksgrupper as (
    select * from {{ ref('tiltaksgrupper') }}
),

final as (
    select
        tiltakstyper.tiltakstype_code,
        tiltakstyper.label_no as tiltakstype_label_no,
        tiltakstyper.label_en as tiltakstype_label_en,
        tiltakstyper.sort_order as tiltakstype_sort_order,
        tiltakstyper.tiltaksgruppe_code,
        tiltaksgrupper.label_no as tiltaksgruppe_label_no,
        tiltaksgrupper.report_code,
        tiltakstyper.valid_from,
        tiltakstyper.valid_to,
        tiltakstyper.valid_note
    from tiltakstyper
    inner join tiltaksgrupper
        on tiltakstyper.tiltaksgruppe_code = tiltaksgrupper.tiltaksgruppe_code
)

select
    tiltakstype_code,
    tiltakstype_label_no,
    tiltakstype_label_en,
    tiltakstype_sort_order,
    tiltaksgruppe_code,
    tiltaksgruppe_label_no,
    report_code,
    valid_from,
    valid_to,
    valid_note
from final
