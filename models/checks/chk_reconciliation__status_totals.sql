-- Every place a status total is printed, per month: the status table's own
-- rows and the "I alt <status>" row of each dimension table; for status
-- "alle", the grand total of the status table and of the kommune table.
-- Each status must have one figure per month.
with

totals as (
    select
        month,
        status_code,
        dimension as printed_in,
        participants_min,
        participants_max
    from {{ ref('fct_published_totals') }}
    -- a sibling's totals count its measure groups, not the status group
    -- (they reconcile in fct_published_totals and chk_reconciliation__tiltakstype)
    where dimension != 'tiltakstype'
),

status_rows as (
    select
        month,
        status_code,
        'arbeidsmarkedsstatus' as printed_in,
        participants_min,
        participants_max
    from {{ ref('fct_participants') }}
    where dimension = 'arbeidsmarkedsstatus'
),

unioned as (
    select * from totals
    union all
    select * from status_rows
)

select * from unioned
