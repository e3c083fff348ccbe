# Innsiden: `make run` serves the demo portal, `make test` runs the suite. Nothing else needed.
# `make run PORT=5202` serves elsewhere; INNSIDEN_INSTANCE_PATH=/tmp/x keeps everything the demo
# writes (database, register, uploads, outbox, search index) out of the checkout.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEMO_MEMBERS ?= 600
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in demo e-mails (login links, notifications) point at the port actually served.
export INNSIDEN_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: install run demo test lint format translations bench loadtest clean

install: $(INSTALLED)

$(INSTALLED): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

demo: install
	$(BIN)/innsiden db upgrade
	$(BIN)/innsiden demo --members $(DEMO_MEMBERS) --host $(HOST) --port $(PORT)

run: demo
	$(BIN)/innsiden serve --host $(HOST) --port $(PORT)

# The suite runs on every core (pytest-xdist); PYTEST_ARGS="-n 0" runs it in one process.
PYTEST_ARGS ?= -n auto

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

# Extract every text into messages.pot, bring the four catalogs up to date (new texts come in
# empty, never guessed; stale ones are dropped), compile them, and list what still needs
# translating. Bokmål is the source language: each of its texts is its own translation.
CATALOGS := innsiden/translations
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 \
		--no-location --sort-output --project=Innsiden -o $(CATALOGS)/messages.pot .
	for lang in nb nn en da; do \
		test -f $(CATALOGS)/$$lang/LC_MESSAGES/messages.po \
			|| $(BIN)/pybabel init -i $(CATALOGS)/messages.pot -d $(CATALOGS) -l $$lang; \
		$(BIN)/pybabel update -i $(CATALOGS)/messages.pot -d $(CATALOGS) -l $$lang \
			--no-fuzzy-matching --ignore-obsolete --width=100; \
	done
	$(BIN)/python $(CATALOGS)/untranslated.py --fill-source
	$(BIN)/pybabel compile -d $(CATALOGS) --statistics
	$(BIN)/python $(CATALOGS)/untranslated.py

bench: install
	$(BIN)/python -m bench

# nginx + three gunicorn processes on loopback under load while PostgreSQL restarts, Redis
# stops and S3 answers 503 (bench/loadtest.py). Restarts the machine's PostgreSQL and Redis.
# Defaults are a short smoke run; the issue's scale: LOADTEST_ARGS="--sockets 500 --views 50
# --redis-down 60".
loadtest: install
	$(BIN)/python -m bench.loadtest $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
