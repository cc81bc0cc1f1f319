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
        kommuner.label_no,
        kommuner.sort_order,
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

select * from final
