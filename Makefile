# make build: set up .venv and build the sample workspace in data/ into site/.
# make test:  set up .venv with the dev tools and run ruff, mypy and pytest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test lint check clean

build: $(VENV)/.installed
	$(BIN)/followup build

check: $(VENV)/.installed
	$(BIN)/followup check

test: $(VENV)/.installed-dev
	$(BIN)/ruff check followup tests bench
	$(BIN)/ruff format --check followup tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) site .site-* .followup-cache .pytest_cache .mypy_cache .ruff_cache .hypothesis
