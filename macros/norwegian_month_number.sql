{#- The month number (1-12) of a Norwegian month name as printed, wherever it wrapped ("Septem ber"); NULL otherwise. -#}
{% macro norwegian_month_number(expression) -%}
    case {{ label_key(expression) }}
        {%- for name in var("norwegian_months") %}
        when '{{ name }}' then {{ loop.index }}
        {%- endfor %}
    end
{%- endmacro %}

{#- The Norwegian name (lower case, as Norwegian writes it) of a month number (1-12). -#}
{% macro norwegian_month_name(month_number) -%}
    [
        {%- for name in var("norwegian_months") -%}
            '{{ name }}'{{ ", " if not loop.last }}
        {%- endfor -%}
    ][{{ month_number }}]
{%- endmacro %}
