-- A printed row whose label no seed knows (a new kommune, a new tiltaksgruppe)
-- fails the build here, named with its file and page; it is never dropped.
select
    rows_.table_title,
    rows_.label_text,
    rows_.page_number,
    files.file_name
from {{ ref('int_tilt100__rows') }} as rows_
inner join {{ ref('stg_tilt100__files') }} as files
    on rows_.file_sha256 = files.file_sha256
where not rows_.is_total_row and rows_.category_code is null
