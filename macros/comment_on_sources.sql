{#-
    The sources' descriptions (models/staging/tilt100/_tilt100__sources.yml)
    as comments on the raw tables and their columns, as `persist_docs` gives
    every model and seed: a BI tool lists `raw` too, and shows what it is.
    dbt's persist_docs does not reach sources (dbt builds no source), so this
    runs at the end of a build (on-run-end), on a target that may write
    (`dev`), for the tables the extractor made. A comment is not a row: raw
    stays as landed.
-#}
{% macro comment_on_sources() -%}
    {%- if execute and target.name == 'dev' -%}
        {%- for node in graph.sources.values() -%}
            {%- set relation = adapter.get_relation(
                database=node.database, schema=node.schema, identifier=node.identifier
            ) -%}
            {%- if relation is not none -%}
                comment on table {{ relation }} is {{ quoted_comment(node.description) }};
                {%- for column in node.columns.values() %}
                    comment on column {{ relation }}.{{ adapter.quote(column.name) }}
                    is {{ quoted_comment(column.description) }};
                {%- endfor %}
            {%- endif -%}
        {%- endfor %}
        commit;  {#- dbt rolls a hook's transaction back at the end of the run -#}
    {%- endif -%}
{%- endmacro %}

{% macro quoted_comment(text) -%}
    '{{ text | trim | replace("'", "''") }}'
{%- endmacro %}
