# One target per intent. `make run` builds the warehouse from the bundled
# report; `make test` runs every test. Both set up .venv on first use, with the
# project's command, `tilt100` (tilt100/cli.py), installed in it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
# The default warehouse is tilt100/settings.py's, unless WAREHOUSE_DB is set.
ifndef WAREHOUSE_DB
WAREHOUSE_DB := $(shell $(PYTHON) -c "from tilt100 import settings; print(settings.WAREHOUSE.default)")
endif
REPORTS ?= data/reports
export WAREHOUSE_DB
export DBT_PROFILES_DIR := $(CURDIR)

.PHONY: setup browser producers run load refresh summary charts docs site test check lint pytest compiled replica synthetic corpus bench clean

setup: $(VENV)/.installed

# The environments are installed by uv (pinned in requirements-uv.txt, installed by pip first):
# the same packages as pip installs from the same pinned files, in seconds where pip took a
# minute (BENCHMARKS.md); compiled as pip compiles them (where PYTHONDONTWRITEBYTECODE is set,
# as on this machine and CI, a module not compiled at install is compiled at every import).
UV := $(BIN)/uv
# Certificates from the system's store, as pip takes them here (PIP_CERT), not uv's own list.
export UV_NATIVE_TLS := 1
$(UV): requirements-uv.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-uv.txt
	touch $@

$(VENV)/.installed: requirements.txt pyproject.toml $(UV)
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.txt
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python --no-deps -e .
	touch $@

# DuckDB 1.4 in an environment of its own: the tests prove that it (and so the
# BI drivers that bundle it) opens the warehouse.
VENV14 := .venv-duckdb14
$(VENV14)/.installed: requirements-duckdb14.txt $(UV)
	$(PYTHON) -m venv $(VENV14)
	$(UV) pip install --quiet --compile-bytecode --python $(VENV14)/bin/python -r requirements-duckdb14.txt
	touch $@

# SQLAlchemy 1.4 with duckdb-engine, the driver stack Superset ships, in an environment
# of its own: the tests reflect every mart with it as a BI tool does on connect.
VENVSUPERSET := .venv-superset
$(VENVSUPERSET)/.installed: requirements-superset.txt $(UV)
	$(PYTHON) -m venv $(VENVSUPERSET)
	$(UV) pip install --quiet --compile-bytecode --python $(VENVSUPERSET)/bin/python -r requirements-superset.txt
	touch $@

# Debian's Chromium, for the test that renders `make charts` headless.
browser:
	@command -v chromium >/dev/null || { \
	  echo "installing Debian's chromium for the report test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The other producers of the corpus (tests/python/test_corpus.py): LibreOffice Calc
# (prints and re-saves workbooks) and the fonts the corpus prints with.
PRODUCER_PACKAGES := libreoffice-calc-nogui libreoffice-writer-nogui fonts-dejavu-core fonts-dejavu-extra fonts-liberation
producers: browser
	@missing=$$(for p in $(PRODUCER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian's $$missing for the corpus test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

# Land the reports, build and export beside the served warehouse, swap it in
# only if `dbt build` passed (readers keep the old file until they reconnect).
run: setup
	$(BIN)/tilt100 refresh $(REPORTS)

# Land the reports raw, in place, without a build (under the same lock as a refresh).
load: setup
	$(BIN)/tilt100 load $(REPORTS)

# `tilt100 refresh` with its options: `make refresh ARGS=--full` rebuilds everything (incremental
# models whole), through the same lock and swap as `make run`.
refresh: setup
	$(BIN)/tilt100 refresh $(ARGS)

summary: setup
	$(BIN)/tilt100 summary

# dbt's documentation site (models, columns, lineage) into warehouse_docs/ beside the
# warehouse, opened read-only (the `reader` target: it runs beside BI tools, notebooks and
# refreshes); it prints how to serve it.
docs: setup
	$(BIN)/tilt100 docs

# The documentation site, docs/ as HTML pages into site/ (mkdocs.yml); a broken link fails it.
site: setup
	$(BIN)/mkdocs build --strict --quiet

# One self-contained HTML page of charts from the marts (report.html); needs no network.
charts: setup
	$(BIN)/tilt100 charts

# The environments, the producers and the lint at once (their installs are independent),
# then the tests on every core.
test:
	$(MAKE) -j4 --output-sync=target lint $(VENV14)/.installed $(VENVSUPERSET)/.installed producers
	$(MAKE) pytest

# The fast loop beside `make test`: the lint, the extractor's and the row parser's tests,
# and dbt's unit tests, read-only on the warehouse `make run` built (built first if missing, or if
# another version of the project built it: the unit tests read its relations' columns).
CHECK_TESTS := tests/python/test_parse.py tests/python/test_parse_fuzz.py tests/python/test_series.py \
  tests/python/test_text_export.py tests/python/test_pdf_replica.py tests/python/test_explain.py
check: lint
	$(BIN)/pytest -n auto --dist loadfile $(CHECK_TESTS)
	@$(BIN)/python -c "import sys; from pathlib import Path; from tilt100.warehouse.state import plan; \
	  sys.exit(not plan(Path('$(WAREHOUSE_DB)')).project_unchanged)" || $(MAKE) run
	DBT_TARGET=reader $(DBT) test --select test_type:unit

PY_SOURCES := extract tilt100 tooling tests
lint: setup
	$(BIN)/ruff check $(PY_SOURCES)
	$(BIN)/ruff format --check $(PY_SOURCES)
	$(BIN)/sqlfluff lint models tests analyses --processes 2

# The project's modules compiled once (only what changed): where PYTHONDONTWRITEBYTECODE is set, as
# on this machine and CI, every Python process the tests start would compile them again.
compiled: setup
	@$(BIN)/python -m compileall -q -j 0 $(filter-out tests,$(PY_SOURCES)) >/dev/null

# Every test: those that share the machine on every core (pytest-xdist, a file to a worker, so
# a file's fixtures are made once), then those that need the machine to themselves (kill
# loops timed against a whole run, a disk filled up) one at a time.
pytest: setup compiled
	$(BIN)/pytest -n auto --dist loadfile

# Re-render the bundled replica PDF from the January 2026 text export.
replica: setup
	$(BIN)/python -m tooling.replica --from-text tests/fixtures/tilt100_2026-01.txt --out $(REPORTS)/tilt100_2026-01.pdf --twin

# Render the synthetic reports (and their Excel twins) the time-series tests use.
synthetic: setup
	$(BIN)/python -c "from pathlib import Path; from tooling.replica.synthetic import write_reports; \
	[print('wrote', p) for p in write_reports(Path('data/synthetic'), twins=True)]"

# TILT100 reports by other producers (Chromium, LibreOffice, fpdf2, openpyxl) in other
# layouts, each with its truth (package tooling/corpus/): rendered into data/corpus/, cached.
corpus: setup producers
	$(BIN)/python -m tooling.corpus --out data/corpus

# A decade of synthetic reports read, landed and built, beside pdfplumber and
# camelot (camelot goes into .venv-bench, benchmark-only); appends to BENCHMARKS.md.
bench: setup
	$(BIN)/python -m tooling.bench.decade

# What the project writes: the warehouse and everything beside it (tilt100/warehouse/paths.py names them:
# its WAL, lock, Parquet link and snapshots, failed and unfinished builds, dbt's kept parses, its
# docs site), the charts page, the docs site, dbt's target/ and logs/ (of dbt run by hand).
clean:
	@if [ -x $(BIN)/python ]; then $(BIN)/python -c "import sys; from tilt100.warehouse import WarehousePaths; \
	  [print('removed', p) for p in WarehousePaths(__import__('pathlib').Path(sys.argv[1])).remove()]" "$(WAREHOUSE_DB)"; fi
	rm -rf target logs report.html site
