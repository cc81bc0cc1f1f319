"""Refresh the warehouse without blocking its readers: build a new file, swap it in."""

from tilt100.warehouse.dbt import generate_docs
from tilt100.warehouse.paths import WarehousePaths
from tilt100.warehouse.refresh import RefreshResult, refresh
from tilt100.warehouse.summary import summary

__all__ = ["RefreshResult", "WarehousePaths", "generate_docs", "refresh", "summary"]
