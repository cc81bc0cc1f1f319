with

source as (
    select * from {{ source('raw', 'tilt100_files') }}
),

parsed as (
    select
        -- One report may come as several files (PDF, Excel, text export):
        -- it is the same report when title, update date and period agree.
        concat_ws(' | ', source_title, report_updated, period) as report_key,
        file_sha256,
        file_name,
        file_format,
        file_size,
        -- rows landed before the family was read have no report_code:
        -- the source line's first word is it
        coalesce(report_code, split_part(source_title, ' ', 1)) as report_code,
        source_title,
        period as period_text,
        page_count,
        row_count,
        extractor_version,
        loaded_at,
        strptime(report_updated, '%d.%m.%Y')::date as report_updated_on,
        make_date(
            regexp_extract(period, '^\S+ (\d{4}) - ', 1)::integer,
            {{ norwegian_month_number("regexp_extract(period, '^(\S+) ', 1)") }},
            1
        ) as period_start_month,
        make_date(
            regexp_extract(period, ' (\d{4})$', 1)::integer,
            {{ norwegian_month_number("regexp_extract(period, ' - (\S+) ', 1)") }},
            1
        ) as period_end_month
    from source
)

select * from parsed
