# One command per intent. `make run` builds the warehouse from the bundled
# report; `make test` runs every test. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
WAREHOUSE_DB ?= warehouse.duckdb
REPORTS ?= data/reports
export WAREHOUSE_DB
export DBT_PROFILES_DIR := $(CURDIR)

.PHONY: setup run extract build summary test lint pytest replica synthetic clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

run: setup extract build summary

extract: setup
	$(BIN)/python -m extract $(REPORTS)

build: setup
	$(DBT) build --quiet --fail-fast

summary: setup
	$(BIN)/python -m extract.summary

test: setup lint pytest

lint: setup
	$(BIN)/ruff check extract replica tests bench
	$(BIN)/ruff format --check extract replica tests bench
	$(BIN)/sqlfluff lint models tests --processes 2

pytest: setup
	$(BIN)/pytest

# Re-render the bundled replica PDF from the January 2026 text export.
replica: setup
	$(BIN)/python -m replica --from-text tests/fixtures/tilt100_2026-01.txt --out $(REPORTS)/tilt100_2026-01.pdf --twin

# Render the synthetic reports (and their Excel twins) the time-series tests use.
synthetic: setup
	$(BIN)/python -c "from pathlib import Path; from replica.series import write_reports; \
	[print('wrote', p) for p in write_reports(Path('data/synthetic'), twins=True)]"

clean:
	rm -rf target logs $(WAREHOUSE_DB) $(WAREHOUSE_DB).wal
