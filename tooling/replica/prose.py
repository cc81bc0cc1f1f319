"""The text of the "Om statistikken" page, as in NAV's January 2026 report.

Lines as printed ("" is a blank line). The extractor's model keeps no prose,
so a replica built from a text export prints this unless the spec has its own.
"""

from __future__ import annotations

PROSE_TITLE = "Om statistikken"
DEFAULT_PROSE: tuple[str, ...] = (
    "Innhold i rapporten",
    '"Om statistikken - Arbeidssøkere", "Om statistikken - Ledige stillinger" og '
    '"Om statistikken - Sesongjustering" finner du på nav.no',
    'ved å følge lenkene under relatert informasjon på siden "Hovedtall om arbeidsmarkedet".',
    "",
    "I henhold til Statistikklovens § 7-1 har NAV valgt å erstatte verdier i celler hvor tallene er mindre enn 4 "
    "med spesialtegn «*».",
    "Dette for å sikre at verdiene ikke kan føres tilbake til identifiserbare enkeltpersoner.",
    "",
    'Det er brudd i statistikken over arbeidssøkere på tiltak og "andre på tiltak" fra april 2025. '
    "Gruppen “andre på tiltak” inneholder nå flere ulike statuser og vi tolker nå denne",
    "gruppen som “andre personer under arbeidsrettet oppfølging i Nav, på tiltak”. "
    'Se "Om statistikken - Arbeidssøkere "',
)
