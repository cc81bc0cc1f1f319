with

source as (
    select * from {{ source('raw', 'tilt100_rows') }}
),

joined as (
    select
        file_sha256,
        row_order,
        page_number,
        table_title,
        label_lines,
        source_line,
        sheet_name,
        block_heading,
        -- Wrapped label lines join with a space, except after a word that
        -- broke at its hyphen ("Nord-" / "Odal" is "Nord-Odal").
        replace(
            regexp_replace(
                array_to_string(label_lines, chr(10)), '(\S-)\n', '\1', 'g'
            ),
            chr(10),
            ' '
        ) as label_text
    from source
),

keyed as (
    select
        *,
        {{ label_key('label_text') }} as label_key,
        {{ label_key('table_title') }} as table_key,
        {{ label_key('label_text') }} like 'ialt%' as is_total_row
    from joined
)

select * from keyed
