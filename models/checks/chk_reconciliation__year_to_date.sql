-- Each printed year-to-date average against the mean of the same row's
-- months in the same report. NAV's rounding, as the replica applies it and
-- as we test it: the mean rounded half up to a whole number. Where months
-- are suppressed the mean is a range, and so is a suppressed average.
with

cells as (
    select * from {{ ref('int_tilt100__cells') }}
),

months as (
    select
        file_sha256,
        row_order,
        count(*) as month_count,
        floor(avg(participants_min) + 0.5)::integer as expected_min,
        floor(avg(participants_max) + 0.5)::integer as expected_max
    from cells
    where column_kind = 'month'
    group by file_sha256, row_order
),

averages as (
    select
        file_sha256,
        file_name,
        page_number,
        row_order,
        table_title,
        label_text,
        value_text as published_text,
        participants_min as published_min,
        participants_max as published_max
    from cells
    where column_kind = 'ytd_average'
),

final as (
    select
        averages.*,
        months.month_count,
        months.expected_min,
        months.expected_max
    from averages
    left join months
        on
            averages.file_sha256 = months.file_sha256
            and averages.row_order = months.row_order
)

select * from final
