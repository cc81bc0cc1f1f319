-- Overlapping reports print the same figure for a month unless the newer
-- report revised it. A revision is not an error, but the build says so:
-- each warning row is a month a later report printed differently (the
-- history keeps both versions).
{{ config(severity='warn') }}

select
    month,
    status_code,
    dimension,
    category_code,
    previous_participants,
    participants,
    file_name as revised_in
from {{ ref('fct_participants_history') }}
where is_revision
