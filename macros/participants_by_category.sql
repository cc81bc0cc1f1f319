{#-
    The body of a per-dimension mart (fct_participants_by_<dimension>): the
    dimension's cells of fct_participants, one row per month x status group x
    category, with the status group's and the category's labels and sort
    orders as columns. `code_column` names the category's code as the
    dimension's own tables do (fylke_nr, kjonn_code, ...). The category is the
    one valid in the cell's month (kommuner and fylker change over time).
-#}
{% macro participants_by_category(dimension, code_column) -%}
with

participants as (
    select * from {{ ref('fct_participants') }}
    where dimension = '{{ dimension }}'
),

categories as (
    select * from {{ ref('dim_category') }}
    where dimension = '{{ dimension }}'
),

statuses as (
    select * from {{ ref('dim_arbeidsmarkedsstatus') }}
),

final as (
    select
        participants.month,
        participants.status_code,
        statuses.status_label_no,
        statuses.status_label_en,
        statuses.status_sort_order,
        participants.category_code as {{ code_column }},
        categories.category_label_no as {{ dimension }}_label_no,
        categories.category_label_en as {{ dimension }}_label_en,
        categories.category_sort_order as {{ dimension }}_sort_order,
        participants.participants,
        participants.participants_min,
        participants.participants_max,
        participants.is_suppressed,
        participants.series_period,
        participants.is_series_break_month
    from participants
    left join statuses
        on participants.status_code = statuses.status_code
    left join categories
        on
            participants.category_code = categories.category_code
            and participants.month
            between coalesce(categories.valid_from, date '1900-01-01')
            and coalesce(categories.valid_to, date '9999-12-31')
)

select
    month,
    status_code,
    status_label_no,
    status_label_en,
    status_sort_order,
    {{ code_column }},
    {{ dimension }}_label_no,
    {{ dimension }}_label_en,
    {{ dimension }}_sort_order,
    participants,
    participants_min,
    participants_max,
    is_suppressed,
    series_period,
    is_series_break_month
from final
{%- endmacro %}
