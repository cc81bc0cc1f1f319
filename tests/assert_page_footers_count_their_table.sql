-- A page that prints "Side X av Y" is the X-th page of its table, of Y: the
-- warehouse holds every page the footers promise. A table is a run of pages
-- with one title, numbered from 1; not every page prints its footer (the
-- text export drops most), so only the footers printed are checked. The
-- extractor refuses such a file; this checks what landed, as staged.
with

pages as (
    select * from {{ ref('stg_tilt100__pages') }}
),

runs as (
    select
        *,
        coalesce(page_title != lag(page_title) over by_file, true) as opens_table
    from pages
    window by_file as (partition by file_sha256 order by page_number)
),

tables as (
    select
        *,
        sum(opens_table::integer) over (
            partition by file_sha256 order by page_number
        ) as table_number
    from runs
),

placed as (
    select
        *,
        row_number() over (
            partition by file_sha256, table_number order by page_number
        ) as page_of_table,
        count(*) over (partition by file_sha256, table_number) as table_pages
    from tables
)

select
    file_sha256,
    page_number,
    page_title,
    footer,
    page_of_table,
    table_pages
from placed
where
    page_in_table is not null
    and (page_in_table != page_of_table or pages_in_table != table_pages)
