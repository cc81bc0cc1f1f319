{#-
    "The newest report wins": the order, within a window, that puts first the
    figure a reader gets where several reports (or twin files of one report)
    print the same cell. Newest "Rapport oppdatert" first, then the latest
    period end; between twin files (one report) by format, in the order of var
    `twin_file_formats` (macro twin_order), then by the file's hash, so the
    choice is stable.
    Use: `row_number() over (partition by ... order by {{ newest_report_first() }}) = 1`.
-#}
{% macro newest_report_first() -%}
    report_updated_on desc,
    period_end_month desc,
    {{ twin_order() }} asc,
    file_sha256 asc
{%- endmacro %}
