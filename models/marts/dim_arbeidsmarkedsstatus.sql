with

source as (
    select * from {{ ref('arbeidsmarkedsstatus') }}
),

final as (
    select
        status_code,
        label_no,
        label_en,
        sort_order,
        has_series_break_2025_04
    from source
)

select * from final
