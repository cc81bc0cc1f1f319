-- Every category of every dimension, from the seeds, in one shape.
-- Kommuner and fylker carry the period their code is valid for.
with

statuses as (
    select
        'arbeidsmarkedsstatus' as dimension,
        status_code as category_code,
        label_no,
        label_en,
        sort_order,
        null::date as valid_from,
        null::date as valid_to
    from {{ ref('arbeidsmarkedsstatus') }}
    where status_code != 'alle'
),

tiltaksgrupper as (
    select
        'tiltaksgruppe' as dimension,
        tiltaksgruppe_code as category_code,
        label_no,
        label_en,
        sort_order,
        null::date as valid_from,
        null::date as valid_to
    from {{ ref('tiltaksgrupper') }}
),

tiltakstyper as (
    select
        'tiltakstype' as dimension,
        tiltakstype_code as category_code,
        label_no,
        label_en,
        sort_order,
        valid_from,
        valid_to
    from {{ ref('tiltakstyper') }}
),

kjonn as (
    select
        'kjonn' as dimension,
        kjonn_code as category_code,
        label_no,
        label_en,
        sort_order,
        null::date as valid_from,
        null::date as valid_to
    from {{ ref('kjonn') }}
),

aldersgrupper as (
    select
        'alder' as dimension,
        aldersgruppe_code as category_code,
        label_no,
        label_en,
        sort_order,
        null::date as valid_from,
        null::date as valid_to
    from {{ ref('aldersgrupper') }}
),

innvandrerstatus as (
    select
        'innvandrerstatus' as dimension,
        innvandrerstatus_code as category_code,
        label_no,
        label_en,
        sort_order,
        null::date as valid_from,
        null::date as valid_to
    from {{ ref('innvandrerstatus') }}
),

fodeland as (
    select
        'fodeland' as dimension,
        fodeland_code as category_code,
        label_no,
        label_en,
        sort_order,
        null::date as valid_from,
        null::date as valid_to
    from {{ ref('fodeland') }}
),

utdanning as (
    select
        'utdanning' as dimension,
        utdanning_code as category_code,
        label_no,
        label_en,
        sort_order,
        null::date as valid_from,
        null::date as valid_to
    from {{ ref('utdanningsnivaer') }}
),

fylker as (
    select
        'fylke' as dimension,
        fylke_nr as category_code,
        label_no,
        label_en,
        sort_order,
        valid_from,
        valid_to
    from {{ ref('fylker') }}
),

kommuner as (
    select
        'kommune' as dimension,
        kommune_nr as category_code,
        label_no,
        label_no as label_en,
        sort_order,
        valid_from,
        valid_to
    from {{ ref('kommuner') }}
),

unioned as (
    select * from statuses
    union all
    select * from tiltaksgrupper
    union all
    select * from tiltakstyper
    union all
    select * from kjonn
    union all
    select * from aldersgrupper
    union all
    select * from innvandrerstatus
    union all
    select * from fodeland
    union all
    select * from utdanning
    union all
    select * from fylker
    union all
    select * from kommuner
),

keyed as (
    select
        *,
        {{ label_key('label_no') }} as label_key
    from unioned
)

select * from keyed
