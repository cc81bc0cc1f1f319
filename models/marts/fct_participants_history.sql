-- Every version of every leaf figure: each report that printed a month
-- gives one row, so an analyst sees where a later report revised a month.
-- fct_participants holds the current version (is_current).
with

versions as (
    select * from {{ ref('int_tilt100__month_versions') }}
),

final as (
    select
        month,
        status_code,
        dimension,
        category_code,
        category_name,
        version_number,
        version_count,
        is_current,
        participants,
        participants_min,
        participants_max,
        is_suppressed,
        previous_value_text is not null
        and previous_value_text != value_text as is_revision,
        case
            when previous_value_text != '*'
                then
                    regexp_replace(
                        previous_value_text, '[\s\x{00a0}\x{202f}]', '', 'g'
                    )::integer
        end as previous_participants,
        report_updated_on,
        period_end_month,
        file_name,
        file_sha256,
        page_number,
        row_order,
        sheet_name,
        cell_ref
    from versions
)

select * from final
