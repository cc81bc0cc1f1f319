"""``python -m report``: one self-contained HTML page of charts drawn from the marts."""
