-- The share of each status group (arbeidsmarkedsstatus) in each fylke
-- (county), in the latest month. Two shares, each with its denominator:
-- * share_of_fylke_known: the status group's share of the fylke's
--   participants over the fylke's KNOWN cells. NAV publishes no all-status
--   total per fylke, so the denominator (known_participants_in_fylke) is the
--   sum of the fylke's status cells that are not "*" (1-3 people). A
--   suppressed cell is never imputed: its share is NULL, and where
--   suppressed_cells_in_fylke > 0 the other shares are of the known cells.
-- * share_of_status_total: the fylke's share of the status group's national
--   total, over the published "I alt" (total) of fct_published_totals. A
--   suppressed fylke has NULL, so a status group's shares then sum to a
--   little less than 1.
with

participants as (
    select * from {{ ref('fct_participants') }}
    where dimension = 'fylke'
),

published_totals as (
    select * from {{ ref('fct_published_totals') }}
    where dimension = 'fylke'
),

fylker as (
    select * from {{ ref('dim_fylke') }}
),

statuses as (
    select * from {{ ref('dim_arbeidsmarkedsstatus') }}
),

latest_month as (
    select max(month) as month from participants
),

cells as (
    select
        participants.month,
        participants.category_code as fylke_nr,
        participants.status_code,
        participants.participants,
        participants.is_suppressed,
        sum(participants.participants)
            over (partition by participants.category_code)
            as known_participants_in_fylke,
        count_if(participants.is_suppressed)
            over (partition by participants.category_code)
            as suppressed_cells_in_fylke
    from participants
    inner join latest_month
        on participants.month = latest_month.month
),

final as (
    select
        cells.month,
        cells.fylke_nr,
        fylker.fylke_label_no,
        cells.status_code,
        statuses.status_label_en,
        cells.participants,
        cells.is_suppressed,
        cells.known_participants_in_fylke,
        cells.suppressed_cells_in_fylke,
        round(cells.participants / cells.known_participants_in_fylke, 4)
            as share_of_fylke_known,
        published_totals.participants as status_total,
        round(cells.participants / published_totals.participants, 4)
            as share_of_status_total,
        fylker.fylke_sort_order,
        statuses.status_sort_order
    from cells
    left join fylker
        on cells.fylke_nr = fylker.fylke_nr
    left join statuses
        on cells.status_code = statuses.status_code
    left join published_totals
        on
            cells.month = published_totals.month
            and cells.status_code = published_totals.status_code
)

select * from final
order by fylke_sort_order, status_sort_order
