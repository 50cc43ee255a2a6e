# PIMH Pathway. The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(PYTHON) -m uv
DEV_ENV := DEBUG=true
PG_BIN := $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))

.PHONY: help install run serve test test-sqlite test-postgres lint format benchmark clean

help:
	@echo "make run   - install, migrate, load the demo service (first time) and serve on http://127.0.0.1:8000"
	@echo "make test  - the whole suite: lint, unit, integration and browser tests on SQLite, then on PostgreSQL"

$(BIN)/.synced: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --quiet --compile-bytecode --python $(PYTHON)
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(BIN)/.synced node_modules/.installed

run: install
	@mkdir -p var
	@$(DEV_ENV) $(BIN)/python manage.py migrate --no-input -v 0
	@$(DEV_ENV) $(BIN)/pimh demo --if-empty
	@echo "Serving PIMH Pathway on http://127.0.0.1:8000 (Ctrl+C to stop)"
	@$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install lint test-sqlite test-postgres

lint:
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

test-sqlite:
	$(BIN)/pytest

test-postgres:
ifeq ($(PG_BIN),)
	@echo "PostgreSQL binaries not found (apt-get install postgresql): PostgreSQL run skipped"
else
	PIMH_TEST_DATABASE=postgresql $(BIN)/pytest -m "not browser" tests
endif

format:
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

benchmark: install
	$(DEV_ENV) $(BIN)/python benchmarks/caseload.py

clean:
	rm -rf $(VENV) node_modules var
