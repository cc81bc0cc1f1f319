with

kommuner as (
    select * from {{ ref('kommuner') }}
),

fylker as (
    select * from {{ ref('fylker') }}
),

final as (
    select
        kommuner.kommune_nr,
        kommuner.kommune_name,
        kommuner.label_no as kommune_label_no,
        kommuner.label_no as kommune_label_en,
        kommuner.sort_order as kommune_sort_order,
        kommuner.fylke_nr,
        fylker.label_no as fylke_label_no,
        kommuner.valid_from,
        kommuner.valid_to,
        kommuner.valid_to is null as is_current
    from kommuner
    left join fylker
        on
            kommuner.fylke_nr = fylker.fylke_nr
            and kommuner.valid_from
            between coalesce(fylker.valid_from, date '1900-01-01')
            and coalesce(fylker.valid_to, date '9999-12-31')
)

select
    kommune_nr,
    kommune_name,
    kommune_label_no,
    kommune_label_en,
    kommune_sort_order,
    fylke_nr,
    fylke_label_no,
    valid_from,
    valid_to,
    is_current
from final
