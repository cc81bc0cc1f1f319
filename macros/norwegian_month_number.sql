{#- The month number (1-12) of a Norwegian month name as printed, wherever it wrapped ("Septem ber"); NULL otherwise. -#}
{% macro norwegian_month_number(expression) -%}
    case {{ label_key(expression) }}
        when 'januar' then 1
        when 'februar' then 2
        when 'mars' then 3
        when 'april' then 4
        when 'mai' then 5
        when 'juni' then 6
        when 'juli' then 7
        when 'august' then 8
        when 'september' then 9
        when 'oktober' then 10
        when 'november' then 11
        when 'desember' then 12
    end
{%- endmacro %}
