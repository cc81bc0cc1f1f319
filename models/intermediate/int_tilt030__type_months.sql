-- TILT030's measure types per month and status group, its age blocks summed:
-- one row per month x status x type, from the newest TILT030 report printing
-- the month. A suppressed cell ("*", 1-3) in any age band widens the sum's
-- range and leaves the sum unknown (participants NULL): it never vanishes
-- and is never imputed.
with

cells as (
    select * from {{ ref('int_tilt030__cells') }}
    where row_kind = 'type'
),

-- the newest report printing the month stands for it (twins: by format)
labels as (
    select
        tiltakstype_code,
        label_no as tiltakstype_label
    from {{ ref('tilt030_tiltakstyper') }}
),

newest as (
    select
        month,
        file_sha256
    from cells
    qualify row_number() over (
        partition by month order by {{ newest_report_first() }}
    ) = 1
),

summed as (
    select
        cells.month,
        cells.status_code,
        cells.tiltakstype_code,
        any_value(cells.tiltaksgruppe_code) as tiltaksgruppe_code,
        any_value(labels.tiltakstype_label) as tiltakstype_label,
        any_value(cells.file_name) as file_name,
        any_value(cells.file_sha256) as file_sha256,
        any_value(cells.report_code) as report_code,
        any_value(cells.report_updated_on) as report_updated_on,
        any_value(cells.sheet_name) as sheet_name,
        any_value(cells.page_number) as page_number,
        sum(cells.participants_min)::integer as participants_min,
        sum(cells.participants_max)::integer as participants_max,
        bool_or(cells.is_suppressed) as is_suppressed,
        count(*) as age_cells
    from cells
    inner join newest
        on
            cells.month = newest.month
            and cells.file_sha256 = newest.file_sha256
    left join labels
        on cells.tiltakstype_code = labels.tiltakstype_code
    group by cells.month, cells.status_code, cells.tiltakstype_code
),

final as (
    select
        month,
        status_code,
        tiltakstype_code,
        tiltaksgruppe_code,
        tiltakstype_label,
        case when not is_suppressed then participants_min end as participants,
        participants_min,
        participants_max,
        is_suppressed,
        age_cells,
        report_code,
        report_updated_on,
        file_name,
        file_sha256,
        page_number,
        sheet_name
    from summed
)

select * from final
