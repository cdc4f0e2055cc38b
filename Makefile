# make demo / make test set everything up on first use: a .venv with the pinned deps.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/privrag demo

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

check: $(STAMP)
	$(BIN)/ruff format --check privrag privrag_training tests bench
	$(BIN)/ruff check privrag privrag_training tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m bench.ingest
	$(BIN)/python -m bench.query
	$(BIN)/python -m bench.retrieval
	$(BIN)/python -m bench.pii
	$(BIN)/python -m bench.sweep
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.train

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
