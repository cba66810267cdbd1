# The two commands a newcomer needs: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE := build/drugs.sqlite3
DATA := $(shell find data -type f 2>/dev/null) $(shell find data -type d 2>/dev/null)

.PHONY: run test lint typecheck postgresql data-check bench clean

# Installed again when the project's settings or its compiled chat screen change.
$(BIN)/drugbot: pyproject.toml bot/knowledge/_chatwords.c
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# The store is rebuilt when the data or the code that builds it changes.
$(STORE): $(BIN)/drugbot $(DATA) $(wildcard bot/knowledge/*.py bot/knowledge/build/*.py)
	$(BIN)/drugbot data build --output $(STORE)

run: $(STORE)
	$(BIN)/drugbot run

test: $(STORE) lint typecheck postgresql
	$(BIN)/python -m pytest

# The PostgreSQL backend's tests start their own server; this installs Debian's package when missing.
postgresql:
	@scripts/ensure-postgresql

lint: $(BIN)/drugbot
	$(BIN)/ruff format --check bot tests bench scripts
	$(BIN)/ruff check bot tests bench scripts

typecheck: $(BIN)/drugbot
	$(BIN)/mypy

data-check: $(BIN)/drugbot
	$(BIN)/drugbot data check

bench: $(STORE)
	$(BIN)/python -m bench

clean:
	rm -rf build .mypy_cache .pytest_cache .ruff_cache
