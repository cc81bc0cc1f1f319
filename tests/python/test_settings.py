"""The settings module (tilt100/settings.py): every default a user may change is defined there once, read
from there, listed by `tilt100 --help`, and restated only where a tool cannot import it (dbt's
profile), equal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.python.helpers import ROOT, string_constants
from tilt100 import settings

# The product's code and configuration (tests and tooling name files of their own).
PRODUCT = ["extract", "tilt100"]


def product_files() -> list[Path]:
    files = [p for folder in PRODUCT for p in (ROOT / folder).rglob("*.py") if p.name != "settings.py"]
    return [*files, ROOT / "Makefile", ROOT / "dbt_project.yml"]


def values(path: Path) -> str:
    """What a file sets, not what it says: a module's string constants (docstrings and comments aside),
    a Makefile's or YAML file's lines that are not comments."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return "\n".join(string_constants(path))


def test_the_default_warehouse_is_defined_once_and_dbts_profile_restates_it_equal() -> None:
    profile = yaml.safe_load((ROOT / "profiles.yml").read_text(encoding="utf-8"))["tilt100"]["outputs"]
    for target in ("dev", "reader"):
        assert profile[target]["path"] == f"{{{{ env_var('WAREHOUSE_DB', '{settings.WAREHOUSE.default}') }}}}"
    assert profile["dev"]["config_options"]["storage_compatibility_version"] == settings.STORAGE_COMPATIBILITY
    default = re.compile(re.escape(str(settings.WAREHOUSE.default)) + r"\b")
    written = [str(p.relative_to(ROOT)) for p in product_files() if default.search(values(p))]
    assert written == []  # the Makefile and every module take it from the settings


def test_every_setting_read_from_the_environment_is_a_setting_of_the_settings_module() -> None:
    names = {setting.env for setting in settings.SETTINGS}
    read = {
        name
        for path in product_files()
        for name in re.findall(r"\bTILT100_[A-Z_]+\b", values(path))
        if name != "TILT100_NAME"  # tilt100/fetch/links.py's pattern of a file name, not a setting
    }
    assert read <= names, read - names


def test_tilt100_help_lists_each_setting_with_the_value_in_force() -> None:
    env = {**os.environ, "TILT100_MAX_PAGES": "50"}
    env.pop("WAREHOUSE_DB", None)
    run = subprocess.run(
        [sys.executable, "-m", "tilt100", "--help"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    part = run.stdout.split("settings (tilt100/settings.py", 1)[1]
    listed = dict(re.findall(r"^  ([A-Z0-9_]+)=(\S+)", part, flags=re.MULTILINE))
    assert list(listed) == [setting.env for setting in settings.SETTINGS]
    assert listed["TILT100_MAX_PAGES"] == "50"  # the environment's
    assert listed["WAREHOUSE_DB"] == "warehouse.duckdb" and listed["TILT100_MAX_SHEET_ROWS"] == "20000"
