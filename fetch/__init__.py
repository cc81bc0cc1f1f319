"""Fetch NAV's TILT100 reports from its statistics pages: ``python -m fetch [--refresh]``.

Links are scraped from the landing page and the yearly archive pages (never hard-coded:
each carries a version hash that changes at every update); what is new is downloaded
into a folder of its own, every version kept apart, and recorded in a state file
beside it, so the next run asks with conditional GETs. ``--refresh`` is the monthly
job: fetch, check each new file reads, and refresh the warehouse with the good ones.
The public face is ``main(argv) -> int``.
"""

from fetch.cli import main

__all__ = ["main"]
