{#-
    Every kind of white space a report prints, as a regular-expression class:
    ASCII white space, the no-break space U+00A0, the narrow no-break space
    U+202F and the thin space U+2009 (thousands separators in NAV's figures
    and in other producers' renderings of them).
-#}
{% macro white_space() -%}
    [\s\x{00a0}\x{202f}\x{2009}]
{%- endmacro %}
