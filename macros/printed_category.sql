{#-
    How a printed row names its category, shared by every table that prints
    fylker or kommuner (TILT100's, the siblings' place tables).

    printed_code: the number a fylke's ("03 Oslo") or kommune's ("0301 Oslo")
    label begins with; NULL for other dimensions and for "Ukjent".

    is_printed_category: the join condition of a printed row (`rows`, with
    dimension, printed_code, label_key and its file's period_start_month and
    period_end_month) to its category (`categories`, int_reference__categories):
    valid in some month of the file's period (a measure type ending in November
    is printed, its December empty, in that year's December report), and named
    by its printed number, or where none is printed by its label.
-#}
{% macro printed_code(dimension, label_text) -%}
    case {{ dimension }}
        when 'kommune'
            then nullif(regexp_extract({{ label_text }}, '^(\d{4}) ', 1), '')
        when 'fylke'
            then nullif(regexp_extract({{ label_text }}, '^(\d{2}) ', 1), '')
    end
{%- endmacro %}

{% macro is_printed_category(rows, categories) -%}
    {{ rows }}.dimension = {{ categories }}.dimension
    and {{ rows }}.period_end_month
    >= coalesce({{ categories }}.valid_from, date '1900-01-01')
    and {{ rows }}.period_start_month
    <= coalesce({{ categories }}.valid_to, date '9999-12-31')
    and (
        {{ rows }}.printed_code = {{ categories }}.category_code
        or (
            {{ rows }}.printed_code is null
            and {{ rows }}.label_key = {{ categories }}.label_key
        )
    )
{%- endmacro %}
