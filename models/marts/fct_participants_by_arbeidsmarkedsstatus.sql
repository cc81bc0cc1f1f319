-- The status table of fct_participants for BI tools: one row per month x
-- status group (arbeidsmarkedsstatus), with labels and sort order as columns.
-- Within a month the status groups are disjoint, so sum(participants) over
-- any filter counts people once; the three sum to the grand total
-- (fct_published_totals, status `alle`). A sum over months is not a count
-- of people (a stock).
with

participants as (
    select * from {{ ref('fct_participants') }}
    where dimension = 'arbeidsmarkedsstatus'
),

statuses as (
    select * from {{ ref('dim_arbeidsmarkedsstatus') }}
),

final as (
    select
        participants.month,
        participants.status_code,
        statuses.status_label_no,
        statuses.status_label_en,
        statuses.status_sort_order,
        participants.participants,
        participants.participants_min,
        participants.participants_max,
        participants.is_suppressed,
        participants.series_period,
        participants.is_series_break_month
    from participants
    left join statuses
        on participants.status_code = statuses.status_code
)

select
    month,
    status_code,
    status_label_no,
    status_label_en,
    status_sort_order,
    participants,
    participants_min,
    participants_max,
    is_suppressed,
    series_period,
    is_series_break_month
from final
