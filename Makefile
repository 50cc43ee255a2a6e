# PIMH Pathway. The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(PYTHON) -m uv
DEV_ENV := DEBUG=true
PG_BIN := $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))

.PHONY: help install install-runtime run serve test test-sqlite test-postgres lint format benchmark load-benchmark clean

help:
	@echo "make run   - install, migrate, load the demo service (first time) and serve on http://127.0.0.1:8000"
	@echo "make test  - the whole suite: lint, unit, integration and browser tests on SQLite, then on PostgreSQL"
	@echo "make serve - the production server (gunicorn) with the settings in the environment: see docs/deployment.md"

# Two install flavours share one .venv: with the dev group (tests, linters) or without it (run, serve).
$(BIN)/.synced: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --quiet --compile-bytecode --python $(PYTHON)
	@rm -f $(BIN)/.synced-runtime
	@touch $@

$(BIN)/.synced-runtime: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --quiet --compile-bytecode --no-dev --python $(PYTHON)
	@rm -f $(BIN)/.synced
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(BIN)/.synced node_modules/.installed

install-runtime: $(BIN)/.synced-runtime node_modules/.installed

PORT ?= 8000

run: install-runtime
	@mkdir -p var
	@$(DEV_ENV) $(BIN)/python manage.py run_demo 127.0.0.1:$(PORT)

# The production server: the settings come from the environment (DEBUG off; see docs/configuration.md).
serve: install-runtime
	@$(BIN)/python manage.py migrate --check -v 0 || { \
		echo "make serve: the database is not up to date: run '$(BIN)/python manage.py migrate' first" >&2; exit 1; }
	$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python manage.py collectstatic --no-input -v 0
	exec $(BIN)/gunicorn -c python:pimh.config.gunicorn

test: install lint test-sqlite test-postgres

lint:
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

test-sqlite:
	$(BIN)/pytest --cov=pimh --cov-branch --cov-report=term:skip-covered --cov-fail-under=91

test-postgres:
ifeq ($(PG_BIN),)
	@echo "PostgreSQL binaries not found (apt-get install postgresql): PostgreSQL run skipped"
else
	PIMH_TEST_DATABASE=postgresql $(BIN)/pytest -m "not browser and not spark" tests
endif

format:
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

benchmark: install
	$(DEV_ENV) $(BIN)/python benchmarks/caseload.py

# Load test against gunicorn on a throwaway PostgreSQL with the demo (see docs/performance.md).
load-benchmark: install
	$(BIN)/python benchmarks/load.py

clean:
	rm -rf $(VENV) node_modules var
