"""The project's one command, ``tilt100``: refresh, load, explain, summary, charts, docs."""
