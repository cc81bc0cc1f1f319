"""The cache of dbt's parses (`warehouse.parse_cache`) keeps the ones used last, not every one ever made."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tilt100.warehouse import parse_cache
from tilt100.warehouse.parse_cache import PARTIAL_PARSE, cached_parse


def test_the_cache_keeps_the_parses_used_last_and_a_removed_one_is_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TILT100_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(parse_cache, "KEPT", 3)
    db = tmp_path / "warehouse.duckdb"

    def parsed(version: str) -> None:
        """dbt parsed project version `version` in a build's target folder, and the build kept it."""
        target = tmp_path / f"target-{version}"
        target.mkdir()
        (target / PARTIAL_PARSE).write_text(version)
        parse_cache.keep(target, version, db)

    for when, version in enumerate(["a", "b", "c"]):
        parsed(version)
        os.utime(cached_parse(version, db), (when, when))  # made long ago, "a" first
    build = tmp_path / "build"
    build.mkdir()
    parse_cache.use(build, "a", db)  # a build of version "a": handed its parse, which is used now
    assert (build / PARTIAL_PARSE).read_text() == "a"

    parsed("d")  # one more than KEPT: the one used least lately goes
    kept = sorted(p.name.split("-")[0] for p in (tmp_path / "cache" / "dbt-parse").glob("*.msgpack"))
    assert kept == ["a", "c", "d"]

    other = tmp_path / "other"
    other.mkdir()
    parse_cache.use(other, "b", db)  # removed: dbt parses whole
    assert not (other / PARTIAL_PARSE).exists()
