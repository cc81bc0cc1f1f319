-- The innvandrerstatus table of fct_participants for BI tools: one row per month x
-- status group x immigrant status, with labels and sort orders as columns. Within a
-- month each person on a measure is in exactly one row, so sum(participants)
-- over any filter of categories and status groups counts people once
-- (a suppressed cell adds nothing; participants_min/participants_max hold
-- the range). A sum over months is not a count of people (a stock).
{{ participants_by_category('innvandrerstatus', 'innvandrerstatus_code') }}
