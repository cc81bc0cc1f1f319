-- One row per month x status x dimension: the "I alt" (total) rows as NAV
-- publishes them, each block's total once (the copies repeated on
-- continuation pages left out). Status "alle" is the grand total.
with

cells as (
    select * from {{ ref('int_tilt100__cells') }}
    where column_kind = 'month' and is_total_row and not is_repeated_total
),

ranked as (
    select
        *,
        row_number() over (
            partition by month, status_code, dimension
            order by {{ newest_report_first() }}
        ) as report_rank
    from cells
),

final as (
    select
        month,
        status_code,
        dimension,
        label_text as total_label,
        participants,
        participants_min,
        participants_max,
        is_suppressed,
        report_updated_on,
        file_name,
        file_sha256,
        page_number,
        row_order
    from ranked
    where report_rank = 1
)

select
    month,
    status_code,
    dimension,
    total_label,
    participants,
    participants_min,
    participants_max,
    is_suppressed,
    report_updated_on,
    file_name,
    file_sha256,
    page_number,
    row_order
from final
