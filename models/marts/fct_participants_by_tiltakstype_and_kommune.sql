-- The measure types by kommune for BI tools, from the siblings' "Tiltak og
-- kommune" tables (printed from 2025): one row per month x measure type x
-- kommune, every status group together. Within one month and one type each
-- participant is in one row; a kommune with no one on the type that month
-- (an empty cell) has no row.
{{ participants_by_tiltakstype_and_place('kommune', 'kommune_nr') }}
