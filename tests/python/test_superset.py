"""Apache Superset itself on the warehouse (issue 20): started by the test on a metadata database of its
own, it connects to the file for BI tools, syncs the marts as datasets, answers January 2026 by status
group exactly through its own chart API, shows each column's description, and imports the shipped
dashboard (bi/superset/tilt100_dashboard/), whose charts then answer too.

Superset runs from `.venv-superset` (requirements-superset.txt; SQLAlchemy 1.4, duckdb-engine 0.17).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import requests
import yaml

from tests.python.helpers import ROOT, Build, interpreter
from tilt100.settings import cache_dir
from tilt100.warehouse.reader_file import write_reader_file
from tooling.corpus.html import CHROMIUM_FLAGS

SUPERSET_PYTHON = ROOT / ".venv-superset" / "bin" / "python"
BUNDLE = ROOT / "bi" / "superset" / "tilt100_dashboard"
BY_STATUS = {"arbeidssokere": 11301, "nedsatt_arbeidsevne": 64651, "andre": 3744}  # January 2026, NAV's figures
ADMIN = {"username": "admin", "password": "admin-of-a-test-only", "provider": "db", "refresh": False}
CONFIG = """
SECRET_KEY = "a test's own Superset, on a metadata database of its own: no secret"
SQLALCHEMY_DATABASE_URI = "sqlite:///{home}/superset.db"
WTF_CSRF_ENABLED = False  # the test speaks the REST API with a bearer token
"""
# A second server on the same metadata, for headless Chromium, which cannot log in: anyone is an admin there
# (127.0.0.1, a test's own metadata). The API server keeps logins: with a public role its imports run anonymous.
BROWSER_CONFIG = CONFIG + 'AUTH_ROLE_PUBLIC = "Admin"\n'


@dataclass(frozen=True)
class Superset:
    base: str
    token: str

    def call(self, method: str, path: str, **kwargs: object) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}"}
        return requests.request(method, self.base + path, headers=headers, timeout=120, **kwargs)  # type: ignore[arg-type]

    def ok(self, method: str, path: str, **kwargs: object) -> dict:
        response = self.call(method, path, **kwargs)
        assert response.status_code in (200, 201), f"{method} {path}: {response.status_code} {response.text[:2000]}"
        return response.json()

    def query(self, dataset: int, asked: dict) -> list[dict]:
        """Rows of Superset's own chart query (`asked`: columns, metrics, filters, order) on `dataset`."""
        body = {
            "datasource": {"id": dataset, "type": "table"},
            "force": True,
            "queries": [asked],
            "result_format": "json",
            "result_type": "full",
        }
        [result] = self.ok("POST", "/api/v1/chart/data", json=body)["result"]
        assert result["status"] == "success", result
        return result["data"]

    def chart_rows(self, dataset: int, columns: list[str], where: str) -> list[dict]:
        """sum(participants) as `people` by `columns` on `dataset`, filtered by `where`."""
        people = {"expressionType": "SQL", "sqlExpression": "SUM(participants)", "label": "people"}
        asked = {"columns": columns, "metrics": [people], "filters": [], "extras": {"where": where}, "row_limit": 1000}
        return self.query(dataset, asked)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def reader_db(text_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The file for BI tools a refresh writes (warehouse_parquet/warehouse.duckdb), of January 2026."""
    out = tmp_path_factory.mktemp("bi") / "warehouse.duckdb"
    write_reader_file(text_build.db, out)
    return out


def superset_env(home: Path, name: str, config: str) -> dict[str, str]:
    """Superset's environment with `config` written as `home`/<name>_config.py, its files in `home`."""
    (home / f"{name}_config.py").write_text(config, encoding="utf-8")
    return {
        **os.environ,
        "SUPERSET_CONFIG_PATH": str(home / f"{name}_config.py"),
        "SUPERSET_HOME": str(home),
        "FLASK_APP": "superset",
        "PYTHONPATH": "",
    }


@contextmanager
def running(cli: list[str], home: Path, config: str, name: str) -> Iterator[str]:
    """A Superset server on 127.0.0.1 with `config` (a superset_config.py in `home`): its base URL, until the end."""
    env = superset_env(home, name, config)
    port = free_port()
    with (home / f"{name}.log").open("w") as log:
        server = subprocess.Popen(
            [*cli, "run", "-h", "127.0.0.1", "-p", str(port), "--with-threads"],
            cwd=home,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 180
            while True:
                try:
                    if requests.get(base + "/health", timeout=5).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                alive = server.poll() is None and time.monotonic() < deadline
                assert alive, (home / f"{name}.log").read_text()[-3000:]
                time.sleep(0.5)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=60)


@dataclass(frozen=True)
class Home:
    cli: list[str]  # Superset's command, from its environment
    home: Path  # its metadata database and configurations


@pytest.fixture(scope="module")
def superset_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """A metadata database (SQLite) made and initialised by Superset's own commands, with an admin.

    Made once per Superset environment and kept in the machine's cache (`project.cache_dir()`), as the
    corpus is: keyed by requirements-superset.txt and what the steps are given, so a new Superset makes
    it afresh. The steps are Superset's, not the warehouse's; each later run copies the database.
    """
    python = interpreter(SUPERSET_PYTHON, "requirements-superset.txt")
    home = tmp_path_factory.mktemp("superset")
    env = superset_env(home, "superset", CONFIG.format(home=home))
    cli = [str(python.parent / "superset")]  # the console script of Superset's environment
    names = ["--firstname", "A", "--lastname", "Test", "--email", "admin@example.invalid"]
    steps = (
        ["db", "upgrade"],
        ["fab", "create-admin", "--username", ADMIN["username"], "--password", ADMIN["password"], *names],
        ["init"],
    )
    made = (ROOT / "requirements-superset.txt").read_text() + CONFIG + json.dumps(steps)
    cached = cache_dir() / "superset" / f"{hashlib.sha256(made.encode()).hexdigest()[:16]}.db"
    if cached.exists():
        shutil.copyfile(cached, home / "superset.db")
        return Home(cli, home)
    for step in steps:
        done = subprocess.run([*cli, *step], cwd=home, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"superset {' '.join(step)}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
    cached.parent.mkdir(parents=True, exist_ok=True)
    part = cached.with_name(f".{cached.name}.{os.getpid()}")
    shutil.copyfile(home / "superset.db", part)
    os.replace(part, cached)
    return Home(cli, home)


@pytest.fixture(scope="module")
def superset(superset_home: Home) -> Iterator[Superset]:
    """Superset on 127.0.0.1 and an admin's token to call its REST API with."""
    with running(superset_home.cli, superset_home.home, CONFIG.format(home=superset_home.home), "api") as base:
        login = requests.post(base + "/api/v1/security/login", json=ADMIN, timeout=60)
        assert login.status_code == 200, login.text
        yield Superset(base, login.json()["access_token"])


def column_comments(db: Path, table: str) -> dict[str, str]:
    """{column: its comment} of a mart, as DuckDB holds them."""
    with duckdb.connect(str(db), read_only=True) as con:
        found = con.execute(
            "select column_name, comment from duckdb_columns() where schema_name = 'marts' and table_name = ?",
            [table],
        ).fetchall()
    return dict(found)


def bundle_zip(db: Path) -> bytes:
    """The shipped bundle as Superset imports it: one folder in a ZIP, the database's URI set to `db`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(BUNDLE.rglob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            if path.parent.name == "databases":
                config = yaml.safe_load(text)
                assert config["sqlalchemy_uri"] == "duckdb:////srv/tilt100/warehouse_parquet/warehouse.duckdb"
                text = text.replace(config["sqlalchemy_uri"], f"duckdb:///{db}")
            archive.writestr(f"tilt100_dashboard/{path.relative_to(BUNDLE)}", text)
    return buffer.getvalue()


def chart_data(superset: Superset, chart: int) -> list[dict]:
    """What a saved chart shows: its dataset, dimensions, saved metrics and filters, through Superset's query API."""
    listed = superset.ok("GET", "/api/v1/chart/", params={"q": "(columns:!(id,params,datasource_id),page_size:100)"})
    [saved] = [c for c in listed["result"] if c["id"] == chart]
    params = json.loads(saved["params"])
    if params.get("query_mode") == "raw":  # a table of the rows as stored, ordered, limited
        asked = {
            "columns": params["all_columns"],
            "orderby": [json.loads(o) for o in params["order_by_cols"]],
            "row_limit": params["row_limit"],
        }
    else:
        asked = {
            "columns": ([params["x_axis"]] if params.get("x_axis") else []) + params["groupby"],
            "metrics": params["metrics"],
            "row_limit": 1000,
        }
    return superset.query(saved["datasource_id"], asked)


@pytest.fixture(scope="module")
def database(superset: Superset, reader_db: Path) -> int:
    """The shipped bundle imported as a user would (its database's URI set to the served file): the database id."""
    imported = superset.call(
        "POST",
        "/api/v1/dashboard/import/",
        files={"formData": ("tilt100_dashboard.zip", bundle_zip(reader_db), "application/zip")},
        data={"overwrite": "true", "passwords": "{}"},
    )
    assert imported.status_code == 200, imported.text[:3000]
    found = superset.ok("GET", "/api/v1/database/", params={"q": "(page_size:100)"})["result"]
    [database] = [d["id"] for d in found if d["database_name"] == "tilt100"]
    return database


@pytest.fixture(scope="module")
def datasets(superset: Superset, database: int) -> dict[str, int]:
    """Every mart as a dataset of that database, as "Sync" does in Superset's dataset list: {table: dataset id}."""
    query = {"q": "(columns:!(id,table_name,database.id),page_size:100)"}
    listed = superset.ok("GET", "/api/v1/dataset/", params=query)
    ids = {d["table_name"]: d["id"] for d in listed["result"] if d["database"]["id"] == database}
    tables = superset.ok("GET", f"/api/v1/database/{database}/tables/", params={"q": "(schema_name:marts)"})["result"]
    for table in sorted(t["value"] for t in tables):
        if table not in ids:
            body = {"database": database, "schema": "marts", "table_name": table}
            ids[table] = superset.ok("POST", "/api/v1/dataset/", json=body)["id"]
    return ids


def test_superset_lists_the_marts_and_answers_january_2026_by_status_exactly(
    superset: Superset, database: int, datasets: dict[str, int], reader_db: Path
) -> None:
    schemas = superset.ok("GET", f"/api/v1/database/{database}/schemas/")["result"]
    # what the tool lists of the warehouse: marts and audit (and DuckDB's own empty main), no build insides
    assert sorted(s for s in schemas if s.startswith("warehouse.")) == [
        "warehouse.audit",
        "warehouse.main",
        "warehouse.marts",
    ]
    with duckdb.connect(str(reader_db), read_only=True) as con:
        found = con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()
    assert sorted(datasets) == sorted(t for (t,) in found) and len(datasets) == 25
    rows = superset.chart_rows(
        datasets["fct_participants_by_arbeidsmarkedsstatus"], ["status_code"], "month = '2026-01-01'"
    )
    assert {r["status_code"]: r["people"] for r in rows} == BY_STATUS
    assert sum(r["people"] for r in rows) == 79696
    # any other fact of marts sums to the same people within the month (here the counties of today)
    [today] = superset.chart_rows(datasets["fct_participants_by_fylke_today"], [], "month = '2026-01-01'")
    assert today["people"] == 79696


def test_each_dataset_column_shows_its_description(
    superset: Superset, datasets: dict[str, int], reader_db: Path
) -> None:
    columns = superset.ok("GET", f"/api/v1/dataset/{datasets['fct_participants_by_fylke']}")["result"]["columns"]
    shown = {c["column_name"]: c["description"] for c in columns}
    comments = column_comments(reader_db, "fct_participants_by_fylke")
    assert shown == comments and all(shown.values())
    assert shown["participants"].startswith("Participants in the cell; NULL where NAV printed")


def test_the_shipped_dashboard_imports_and_its_charts_answer(superset: Superset, database: int) -> None:
    dashboard = superset.ok("GET", "/api/v1/dashboard/tilt100")["result"]
    assert dashboard["dashboard_title"] == "TILT100: people on labour-market measures" and dashboard["published"]
    charts = superset.ok("GET", "/api/v1/dashboard/tilt100/charts")["result"]
    assert sorted(c["slice_name"] for c in charts) == [
        "People on a measure by status group, by month",
        "People on a measure by status group, latest month",
    ]
    by_name = {c["slice_name"]: c["id"] for c in charts}
    latest = chart_data(superset, by_name["People on a measure by status group, latest month"])
    by_label = {r["status_label_en"]: r["participants"] for r in latest}
    assert by_label == {
        "Job seekers on a measure": 11301,
        "Reduced work capacity, on a measure": 64651,
        "Others on a measure": 3744,
    }
    monthly = chart_data(superset, by_name["People on a measure by status group, by month"])
    assert {r["status_label_en"]: r["participants"] for r in monthly} == by_label  # the one month of this warehouse
    assert len(monthly) == 3 and len({r["month"] for r in monthly}) == 1


def test_the_bundle_is_the_warehouse_as_it_is(reader_db: Path) -> None:
    """The bundle's dataset lists the mart's columns with the descriptions the warehouse carries (no drift)."""
    dataset = yaml.safe_load(
        (BUNDLE / "datasets" / "tilt100" / "fct_participants_by_arbeidsmarkedsstatus.yaml").read_text(encoding="utf-8")
    )
    comments = column_comments(reader_db, "fct_participants_by_arbeidsmarkedsstatus")
    assert {c["column_name"]: c["description"] for c in dataset["columns"]} == comments
    assert [m["metric_name"] for m in dataset["metrics"]] == ["participants", "participants_min", "participants_max"]


def test_the_shipped_dashboard_renders_in_headless_chromium(superset_home: Home, database: int, tmp_path: Path) -> None:
    """Superset's own page of the imported dashboard, drawn by its front end: both charts, no error, the figures."""
    chromium = shutil.which("chromium")
    if chromium is None:
        message = "chromium not found on PATH: `make browser` installs Debian's chromium"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    config = BROWSER_CONFIG.format(home=superset_home.home)
    with running(superset_home.cli, superset_home.home, config, "browser") as base:
        page = subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={tmp_path / 'profile'}",
                "--window-size=1400,1000",
                "--virtual-time-budget=30000",
                "--dump-dom",
                f"{base}/superset/dashboard/tilt100/",
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
    assert page.returncode == 0, page.stderr[-2000:]
    dom = page.stdout
    assert 'role="alert"' not in dom, dom[dom.find('role="alert"') : dom.find('role="alert"') + 800]
    assert dom.count("dashboard-chart-id-") == 2
    for title in ("People on a measure by status group, latest month", "People on a measure by status group, by month"):
        assert title in dom
    text = re.sub(r"<[^>]+>", "|", dom)
    for label, figure in (("Job seekers on a measure", "11301"), ("Others on a measure", "3744")):
        assert re.search(rf"\|{label}\|[|\s]*(\|[^|]*)*?{figure[:-3]}[,. ]?{figure[-3:]}\|", text), label
    assert "<canvas" in dom  # the line chart, drawn by ECharts
