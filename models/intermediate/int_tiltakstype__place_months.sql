-- The siblings' place figures a reader gets: one row per month x place
-- dimension x type x place, the newest report printing it (by report date,
-- then period end; twins by format). An empty cell is no one: no row.
with

cells as (
    select * from {{ ref('int_tiltakstype__places') }}
    where column_kind = 'month' and not is_total_row and not is_empty
),

final as (
    select
        month,
        dimension,
        tiltakstype_code,
        place_code,
        participants,
        participants_min,
        participants_max,
        is_suppressed,
        report_code,
        report_updated_on,
        file_name,
        file_sha256,
        page_number,
        row_order,
        sheet_name,
        cell_ref
    from cells
    qualify row_number() over (
        partition by month, dimension, tiltakstype_code, place_code
        order by {{ newest_report_first() }}
    ) = 1
)

select * from final
