with

source as (
    select * from {{ source('raw', 'tilt100_pages') }}
),

parsed as (
    select
        file_sha256,
        page_number,
        page_title,
        footer,
        row_count,
        sheet_name,
        strptime(report_updated, '%d.%m.%Y')::date as report_updated_on,
        period as period_text,
        nullif(
            regexp_extract(footer, '^Side (\d+) av', 1), ''
        )::integer as page_in_table,
        nullif(
            regexp_extract(footer, ' av (\d+)$', 1), ''
        )::integer as pages_in_table
    from source
)

select * from parsed
