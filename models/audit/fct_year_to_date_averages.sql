-- The published "Gjennomsnitt hittil i år" (average so far this year): one
-- row per report period x status x dimension x category, totals included
-- (category_code 'i_alt', is_total true). Not a month: the average of the
-- months January to `through_month` of the report that printed it.
with

cells as (
    select * from {{ ref('int_tilt100__cells') }}
    where column_kind = 'ytd_average' and not is_repeated_total
),

ranked as (
    select
        *,
        row_number() over (
            partition by
                period_end_month, status_code, dimension, report_code, category_code, is_total_row
            -- period_end_month is in the partition: within it, the newest report
            order by {{ newest_report_first() }}
        ) as report_rank
    from cells
),

final as (
    select
        year(period_end_month) as year,
        period_end_month as through_month,
        status_code,
        dimension,
        report_code,
        -- a block's total ("I alt") as a code of its own: the grain is a primary key
        case when is_total_row then 'i_alt' else category_code end as category_code,
        coalesce(category_name, label_text) as category_name,
        is_total_row as is_total,
        participants as average_participants,
        participants_min as average_participants_min,
        participants_max as average_participants_max,
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
    year,
    through_month,
    status_code,
    dimension,
    report_code,
    category_code,
    category_name,
    is_total,
    average_participants,
    average_participants_min,
    average_participants_max,
    is_suppressed,
    report_updated_on,
    file_name,
    file_sha256,
    page_number,
    row_order
from final
