{#-
    A twin file's place in the order of var `twin_file_formats` (1 first): which
    of a report's files stands for it. Use: `order by {{ twin_order() }}`.
-#}
{% macro twin_order(column="file_format") -%}
    case {{ column }}
        {%- for file_format in var("twin_file_formats") %}
        when '{{ file_format }}' then {{ loop.index }}
        {%- endfor %}
    end
{%- endmacro %}
