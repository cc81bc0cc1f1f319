"""Refresh the warehouse without blocking its readers: build a new file, swap it in."""
