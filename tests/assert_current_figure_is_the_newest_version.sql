-- fct_participants holds, for every month and category, the figure of the
-- newest report that printed it, and the history holds every report
-- version: the current figure is the history's last version. TILT030's
-- types, sums of its age bands, have no versions.
with

current_figures as (
    select * from {{ ref('fct_participants') }}
    where not is_age_band_sum
),

history as (
    select * from {{ ref('fct_participants_history') }}
),

last_versions as (
    select * from history
    where version_number = version_count
)

select
    current_figures.month,
    current_figures.status_code,
    current_figures.dimension,
    current_figures.category_code,
    current_figures.participants_min as current_min,
    last_versions.participants_min as history_min,
    current_figures.report_updated_on as current_report,
    last_versions.report_updated_on as history_report
from current_figures
full outer join last_versions
    on
        current_figures.month = last_versions.month
        and current_figures.status_code = last_versions.status_code
        and current_figures.dimension = last_versions.dimension
        and current_figures.category_code = last_versions.category_code
where
    current_figures.month is null
    or last_versions.month is null
    or current_figures.participants_min != last_versions.participants_min
    or current_figures.participants_max != last_versions.participants_max
    or current_figures.report_updated_on != last_versions.report_updated_on
