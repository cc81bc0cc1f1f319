with

source as (
    select * from {{ ref('tiltaksgrupper') }}
),

final as (
    select
        tiltaksgruppe_code,
        label_no,
        label_en,
        sort_order,
        report_code
    from source
)

select * from final
