with

source as (
    select * from {{ source('raw', 'tilt100_cells') }}
),

parsed as (
    select
        file_sha256,
        row_order,
        column_order,
        column_header,
        value_text,
        x0,
        x1,
        top,
        cell_ref,
        value_text = '*' as is_suppressed,
        -- an empty cell (a workbook's, where a measure type had no participants that month) is none
        value_text = '' as is_empty,
        case
            when value_text = '' then 0
            when value_text != '*'
                then
                    regexp_replace(
                        value_text, '{{ white_space() }}', '', 'g'
                    )::integer
        end as participants,
        case
            when {{ label_key('column_header') }} = 'gjennomsnitthittiliår'
                then 'ytd_average'
            when {{ norwegian_month_number('column_header') }} is not null
                then 'month'
        end as column_kind,
        {{ norwegian_month_number('column_header') }} as column_month_number
    from source
),

bounded as (
    select
        *,
        -- "*" hides a value of 1, 2 or 3 (Statistikkloven § 7-1).
        coalesce(participants, {{ var('suppressed_min') }})
            as participants_min,
        coalesce(participants, {{ var('suppressed_max') }})
            as participants_max
    from parsed
)

select * from bounded
