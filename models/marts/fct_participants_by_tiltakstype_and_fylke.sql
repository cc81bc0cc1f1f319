-- The measure types by fylke for BI tools, from the siblings' "Tiltak og
-- fylke" tables: one row per month x measure type x fylke, every status group
-- together. Within one month and one type each participant is in one row; a
-- fylke with no one on the type that month (an empty cell) has no row.
{{ participants_by_tiltakstype_and_place('fylke', 'fylke_nr') }}
