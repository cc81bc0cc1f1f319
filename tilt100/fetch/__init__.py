"""Fetch NAV's TILT100 reports from its statistics pages: ``tilt100 fetch [--refresh]``.

Links are scraped from the landing page and the yearly archive pages (never hard-coded:
each carries a version hash that changes at every update); what is new is downloaded
into a folder of its own, every version kept apart, and recorded in a state file
beside it, so the next run asks with conditional GETs. ``--refresh`` is the monthly
job: fetch, check each new file reads, and refresh the warehouse with the good ones.
The public face: ``main(argv) -> int``, and for the project's command (``tilt100
fetch``) ``add_arguments``, ``checked`` and ``run_command``.
"""

from tilt100.fetch.cli import add_arguments, checked, main, run_command

__all__ = ["add_arguments", "checked", "main", "run_command"]
