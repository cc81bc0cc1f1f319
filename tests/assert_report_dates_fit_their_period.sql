-- Every landed file's time axis, as the extractor checks it at the door
-- (extract/checks.py), again here so that a file landed before those rules
-- is checked too: the period lies within one calendar year; the report date
-- falls after the period ends, no more than `report_months_after_period_max`
-- months later (a later date is a period line from another year, far likelier
-- than a late print), and is not in the future (a day's grace for time zones).
-- A file that breaks one would outrank real reports or move figures to other
-- months: the build fails, naming the file.
with

files as (
    select * from {{ ref('stg_tilt100__files') }}
),

checked as (
    select
        file_name,
        file_sha256,
        period_text,
        report_updated_on,
        case
            when
                year(period_start_month) != year(period_end_month)
                or period_start_month > period_end_month
                then 'a period within one calendar year, its first month first'
            when report_updated_on > current_date + 1
                then 'a report date no later than today'
            when report_updated_on <= last_day(period_end_month)
                then 'a report date after the period ends'
            when
                report_updated_on > last_day(
                    period_end_month
                    + to_months({{ var('report_months_after_period_max') }})
                )
                then
                    'a report date within {{ var("report_months_after_period_max") }}'
                    || ' months after the period'
        end as expected
    from files
)

select * from checked
where expected is not null
