-- One row per month x status x dimension x category: the leaf cells of the
-- reports. Where several reports print the same month, the newest report
-- (by "Rapport oppdatert", then by period end) gives the figure.
with

cells as (
    select * from {{ ref('int_tilt100__cells') }}
    where column_kind = 'month' and not is_total_row
),

ranked as (
    select
        *,
        row_number() over (
            partition by month, status_code, dimension, category_code
            order by
                report_updated_on desc,
                period_end_month desc,
                file_format asc,
                file_sha256 asc
        ) as report_rank
    from cells
),

final as (
    select
        month,
        status_code,
        dimension,
        category_code,
        category_name,
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

select * from final
