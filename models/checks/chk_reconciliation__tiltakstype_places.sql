-- The siblings' place tables against themselves and their status table, per
-- file and month (a file's tables print one report): each type's places
-- summed beside its "I alt <type>" row; that row beside the type summed over
-- the status groups of the file's "Arbeidsmarkedsstatus og tiltak"; each
-- fylke's kommuner (seed kommuner) beside the fylke's row. Each side is a
-- range ("*" is 1-3; an empty cell is none).
with

places as (
    select * from {{ ref('int_tiltakstype__places') }}
    where column_kind = 'month'
),

status_table as (
    select * from {{ ref('int_tilt100__cells') }}
    where
        column_kind = 'month'
        and dimension = 'tiltakstype'
        and not is_total_row
),

kommuner as (
    select * from {{ ref('kommuner') }}
),

type_totals as (
    select
        file_sha256,
        dimension,
        tiltakstype_code,
        month,
        participants_min as total_min,
        participants_max as total_max
    from places
    where is_total_row
),

places_summed as (
    select
        file_sha256,
        dimension,
        tiltakstype_code,
        month,
        sum(participants_min) as parts_min,
        sum(participants_max) as parts_max
    from places
    where not is_total_row
    group by file_sha256, dimension, tiltakstype_code, month
),

statuses_summed as (
    select
        file_sha256,
        category_code as tiltakstype_code,
        month,
        sum(participants_min) as parts_min,
        sum(participants_max) as parts_max
    from status_table
    group by file_sha256, category_code, month
),

kommuner_summed as (
    select
        places.file_sha256,
        places.tiltakstype_code,
        kommuner.fylke_nr,
        places.month,
        sum(places.participants_min) as parts_min,
        sum(places.participants_max) as parts_max
    from places
    inner join kommuner
        on
            places.place_code = kommuner.kommune_nr
            and places.month
            between coalesce(kommuner.valid_from, date '1900-01-01')
            and coalesce(kommuner.valid_to, date '9999-12-31')
    where places.dimension = 'kommune' and not places.is_total_row
    group by
        places.file_sha256, places.tiltakstype_code, kommuner.fylke_nr, places.month
),

-- the fylke rows of the files that print a kommune table too (from 2025)
fylke_rows as (
    select
        file_sha256,
        tiltakstype_code,
        place_code as fylke_nr,
        month,
        participants_min as total_min,
        participants_max as total_max
    from places
    where
        dimension = 'fylke'
        and not is_total_row
        and file_sha256 in (
            select with_kommuner.file_sha256 from places as with_kommuner
            where with_kommuner.dimension = 'kommune'
        )
),

compared as (
    select
        'places_to_type_total' as comparison,
        coalesce(type_totals.file_sha256, places_summed.file_sha256)
            as file_sha256,
        coalesce(type_totals.dimension, places_summed.dimension) as dimension,
        coalesce(type_totals.tiltakstype_code, places_summed.tiltakstype_code)
            as tiltakstype_code,
        null as fylke_nr,
        coalesce(type_totals.month, places_summed.month) as month,
        coalesce(places_summed.parts_min, 0) as parts_min,
        coalesce(places_summed.parts_max, 0) as parts_max,
        coalesce(type_totals.total_min, 0) as total_min,
        coalesce(type_totals.total_max, 0) as total_max
    from type_totals
    full outer join places_summed
        on
            type_totals.file_sha256 = places_summed.file_sha256
            and type_totals.dimension = places_summed.dimension
            and type_totals.tiltakstype_code = places_summed.tiltakstype_code
            and type_totals.month = places_summed.month
    union all
    select
        'status_table_to_type_total' as comparison,
        type_totals.file_sha256,
        type_totals.dimension,
        type_totals.tiltakstype_code,
        null as fylke_nr,
        type_totals.month,
        coalesce(statuses_summed.parts_min, 0) as parts_min,
        coalesce(statuses_summed.parts_max, 0) as parts_max,
        type_totals.total_min,
        type_totals.total_max
    from type_totals
    left join statuses_summed
        on
            type_totals.file_sha256 = statuses_summed.file_sha256
            and type_totals.tiltakstype_code = statuses_summed.tiltakstype_code
            and type_totals.month = statuses_summed.month
    union all
    select
        'kommuner_to_fylke' as comparison,
        coalesce(kommuner_summed.file_sha256, fylke_rows.file_sha256)
            as file_sha256,
        'kommune' as dimension,
        coalesce(kommuner_summed.tiltakstype_code, fylke_rows.tiltakstype_code)
            as tiltakstype_code,
        coalesce(kommuner_summed.fylke_nr, fylke_rows.fylke_nr) as fylke_nr,
        coalesce(kommuner_summed.month, fylke_rows.month) as month,
        coalesce(kommuner_summed.parts_min, 0) as parts_min,
        coalesce(kommuner_summed.parts_max, 0) as parts_max,
        coalesce(fylke_rows.total_min, 0) as total_min,
        coalesce(fylke_rows.total_max, 0) as total_max
    from kommuner_summed
    full outer join fylke_rows
        on
            kommuner_summed.file_sha256 = fylke_rows.file_sha256
            and kommuner_summed.tiltakstype_code = fylke_rows.tiltakstype_code
            and kommuner_summed.fylke_nr = fylke_rows.fylke_nr
            and kommuner_summed.month = fylke_rows.month
)

select * from compared
