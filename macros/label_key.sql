{#-
    A printed label reduced to what survives any line wrapping: lower case,
    every kind of white space removed (`white_space`). "Videregående / skolenivå" and
    "5007 Namsos - / Nåavmesjenjae / lmie" match their seed labels this way,
    whether a line broke between words or in the middle of one.
-#}
{% macro label_key(expression) -%}
    lower(regexp_replace({{ expression }}, '{{ white_space() }}+', '', 'g'))
{%- endmacro %}
