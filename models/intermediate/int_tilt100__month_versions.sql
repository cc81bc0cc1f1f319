-- Every leaf figure every report printed for a month: one row per month x
-- status x dimension x category x report version. Reports are ordered by
-- "Rapport oppdatert", then by period end; the newest version is current.
-- Two files of one report (twins) share a version number; they print the
-- same figures (assert_twin_files_agree), so the previous version's values
-- are one row.
with

cells as (
    select * from {{ ref('int_tilt100__cells') }}
    -- an empty cell is a month the measure type did not run: no figure
    -- (test assert_empty_cells_are_outside_a_types_months)
    where column_kind = 'month' and not is_total_row and not is_empty
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

-- The versions are counted on the keys alone (a cell's place and its file's
-- dates), then joined back to the cells: window functions over the cells'
-- every column spill to disk under the build's memory limit (the decade:
-- 2.3 s, now 1 s).
printed as (
    select
        month,
        status_code,
        dimension,
        category_code,
        report_updated_on,
        period_end_month,
        file_format,
        file_sha256,
        row_order,
        column_order
    from months_to_build
),

versioned as (
    select
        file_sha256,
        row_order,
        column_order,
        status_code,
        month,
        dimension,
        category_code,
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
            order by {{ twin_order() }} asc, file_sha256 asc
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
    from printed
),

counted as (
    select
        file_sha256,
        row_order,
        column_order,
        version_number,
        is_current,
        is_version_file,
        version_file_count,
        max(version_number) over (
            partition by month, status_code, dimension, category_code
        ) as version_count
    from versioned
),

-- a printed cell: its file, its row in the file, its column (raw's key)
versioned_cells as (
    select
        months_to_build.*,
        counted.version_number,
        counted.version_count,
        counted.is_current,
        counted.is_version_file,
        counted.version_file_count
    from months_to_build
    inner join counted
        on
            months_to_build.file_sha256 = counted.file_sha256
            and months_to_build.row_order = counted.row_order
            and months_to_build.column_order = counted.column_order
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
    from versioned_cells
),

final as (
    select
        versioned_cells.month,
        versioned_cells.status_code,
        versioned_cells.dimension,
        versioned_cells.category_code,
        versioned_cells.category_name,
        versioned_cells.version_number,
        versioned_cells.version_count,
        versioned_cells.is_current,
        versioned_cells.is_version_file,
        versioned_cells.version_file_count,
        versioned_cells.value_text,
        versioned_cells.participants,
        versioned_cells.participants_min,
        versioned_cells.participants_max,
        versioned_cells.is_suppressed,
        versioned_cells.report_code,
        versioned_cells.report_updated_on,
        versioned_cells.period_end_month,
        versioned_cells.file_name,
        versioned_cells.file_format,
        versioned_cells.file_sha256,
        versioned_cells.page_number,
        versioned_cells.row_order,
        versioned_cells.sheet_name,
        versioned_cells.cell_ref,
        previous_values.participants as previous_participants,
        previous_values.participants_min as previous_participants_min,
        previous_values.participants_max as previous_participants_max
    from versioned_cells
    left join previous_values
        on
            versioned_cells.month = previous_values.month
            and versioned_cells.status_code = previous_values.status_code
            and versioned_cells.dimension = previous_values.dimension
            and versioned_cells.category_code = previous_values.category_code
            and versioned_cells.version_number = previous_values.version_number + 1
)

select * from final
