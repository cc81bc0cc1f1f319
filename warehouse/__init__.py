"""Refresh the warehouse without blocking its readers: build a new file, swap it in."""

from warehouse.dbt import generate_docs
from warehouse.paths import WarehousePaths
from warehouse.refresh import RefreshResult, refresh
from warehouse.summary import summary

__all__ = ["RefreshResult", "WarehousePaths", "generate_docs", "refresh", "summary"]
