-- Month arithmetic per category: the change from the previous month and
-- from the same month a year earlier. NULL where either side is suppressed
-- or missing (a category with no participants has no row). Categories are
-- matched by their code as reported: a kommune renumbered in 2024 starts a
-- new series (see fct_participants_by_fylke_today for one that runs across).
with

participants as (
    select * from {{ ref('fct_participants') }}
),

compared as (
    select
        current_month.month,
        current_month.status_code,
        current_month.dimension,
        current_month.category_code,
        current_month.category_name,
        current_month.participants,
        previous_month.participants as participants_previous_month,
        a_year_before.participants as participants_a_year_before,
        current_month.is_series_break_month,
        current_month.series_period
        != coalesce(a_year_before.series_period, current_month.series_period)
            as crosses_series_break_from_a_year_before
    from participants as current_month
    left join participants as previous_month
        on
            current_month.status_code = previous_month.status_code
            and current_month.dimension = previous_month.dimension
            and current_month.category_code = previous_month.category_code
            and previous_month.month = current_month.month - interval 1 month
    left join participants as a_year_before
        on
            current_month.status_code = a_year_before.status_code
            and current_month.dimension = a_year_before.dimension
            and current_month.category_code = a_year_before.category_code
            and a_year_before.month = current_month.month - interval 1 year
),

final as (
    select
        month,
        status_code,
        dimension,
        category_code,
        category_name,
        participants,
        participants_previous_month,
        participants - participants_previous_month
            as change_from_previous_month,
        round(
            100.0 * (participants - participants_previous_month)
            / participants_previous_month,
            1
        ) as percent_change_from_previous_month,
        participants_a_year_before,
        participants - participants_a_year_before
            as change_from_a_year_before,
        round(
            100.0 * (participants - participants_a_year_before)
            / participants_a_year_before,
            1
        ) as percent_change_from_a_year_before,
        is_series_break_month,
        crosses_series_break_from_a_year_before
    from compared
)

select
    month,
    status_code,
    dimension,
    category_code,
    category_name,
    participants,
    participants_previous_month,
    change_from_previous_month,
    percent_change_from_previous_month,
    participants_a_year_before,
    change_from_a_year_before,
    percent_change_from_a_year_before,
    is_series_break_month,
    crosses_series_break_from_a_year_before
from final
