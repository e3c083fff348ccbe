# Innsiden: `make run` serves the demo portal, `make test` runs the suite. Nothing else needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEMO_DIR ?= instance/demo-register
DEMO_MEMBERS ?= 600
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run demo test lint format translations bench clean

install: $(INSTALLED)

$(INSTALLED): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

demo: install
	$(BIN)/innsiden db upgrade
	$(BIN)/innsiden demo --members $(DEMO_MEMBERS) --directory $(DEMO_DIR)

run: demo
	$(BIN)/innsiden serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

translations: install
	$(BIN)/pybabel compile -d innsiden/translations

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
