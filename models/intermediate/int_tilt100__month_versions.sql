-- Every leaf figure every report printed for a month: one row per month x
-- status x dimension x category x report version. Reports are ordered by
-- "Rapport oppdatert", then by period end; the newest version is current.
-- Two files of one report (twins) share a version number; they print the
-- same figures (assert_twin_files_agree), so the previous version's values
-- are one row.
with

cells as (
    select * from {{ ref('int_tilt100__cells') }}
    where column_kind = 'month' and not is_total_row
),

months_to_build as (
    select * from cells
    {% if is_incremental() %}
        -- incremental: every version of each month a new file prints (a
        -- month's versions depend on its own cells alone); they replace the
        -- month's old rows (delete+insert by month)
        where month in (
            select new_cells.month from cells as new_cells
            where new_cells.file_sha256 not in (
                select done.file_sha256 from {{ this }} as done
            )
        )
    {% endif %}
),

versioned as (
    select
        *,
        dense_rank() over (
            partition by month, status_code, dimension, category_code
            order by report_updated_on, period_end_month
        ) as version_number,
        row_number() over (
            partition by month, status_code, dimension, category_code
            order by {{ newest_report_first() }}
        ) = 1 as is_current,
        -- the file that stands for its report version (twins: PDF first)
        row_number() over (
            partition by
                month,
                status_code,
                dimension,
                category_code,
                report_updated_on,
                period_end_month
            order by file_format asc, file_sha256 asc
        ) = 1 as is_version_file,
        count(*) over (
            partition by
                month,
                status_code,
                dimension,
                category_code,
                report_updated_on,
                period_end_month
        ) as version_file_count
    from months_to_build
),

with_previous as (
    select
        *,
        max(version_number) over (
            partition by month, status_code, dimension, category_code
        ) as version_count
    from versioned
),

previous_values as (
    select distinct
        month,
        status_code,
        dimension,
        category_code,
        version_number,
        participants,
        participants_min,
        participants_max
    from versioned
),

final as (
    select
        with_previous.month,
        with_previous.status_code,
        with_previous.dimension,
        with_previous.category_code,
        with_previous.category_name,
        with_previous.version_number,
        with_previous.version_count,
        with_previous.is_current,
        with_previous.is_version_file,
        with_previous.version_file_count,
        with_previous.value_text,
        with_previous.participants,
        with_previous.participants_min,
        with_previous.participants_max,
        with_previous.is_suppressed,
        with_previous.report_updated_on,
        with_previous.period_end_month,
        with_previous.file_name,
        with_previous.file_format,
        with_previous.file_sha256,
        with_previous.page_number,
        with_previous.row_order,
        with_previous.sheet_name,
        with_previous.cell_ref,
        previous_values.participants as previous_participants,
        previous_values.participants_min as previous_participants_min,
        previous_values.participants_max as previous_participants_max
    from with_previous
    left join previous_values
        on
            with_previous.month = previous_values.month
            and with_previous.status_code = previous_values.status_code
            and with_previous.dimension = previous_values.dimension
            and with_previous.category_code = previous_values.category_code
            and with_previous.version_number = previous_values.version_number + 1
)

select * from final
