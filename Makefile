# Capaian: `make run` serves the demo portal, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
export PYTHONDONTWRITEBYTECODE := 1
AXE_VERSION := 4.14.1
AXE := build/node/node_modules/axe-core/axe.min.js
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
MARIA_URL ?= mysql+pymysql://root@127.0.0.1:3306/test
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-sqlite test-postgres test-mariadb lint translations system-deps bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

translations: $(VENV)/.installed-run
	@$(BIN)/pybabel compile --use-fuzzy -d portal/translations >/dev/null
	@$(BIN)/pybabel compile -D wtforms -d portal/translations >/dev/null

run: $(VENV)/.installed-run translations
	PORTAL_ENV_NAME=development $(BIN)/flask db upgrade
	PORTAL_ENV_NAME=development $(BIN)/flask seed demo
	@echo "Capaian: http://$(HOST):$(PORT)  (akun demo: lihat README.md)"
	@# The web server and a job worker (import commits run there); Ctrl-C stops both.
	PORTAL_ENV_NAME=development $(BIN)/python -m portal.jobs.devserver --host $(HOST) --port $(PORT)

# Chromium and fonts for the browser tests, Pango/HarfBuzz for WeasyPrint (PDFs) and poppler's
# pdftotext/pdftoppm (PDF checks) come from Debian's packages; axe-core from npm.
SYSTEM_PACKAGES := chromium fonts-dejavu-core fonts-liberation poppler-utils libpango-1.0-0 \
	libpangoft2-1.0-0 libharfbuzz-subset0
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Install (as root): $$missing"; exit 1; fi; \
	fi

$(AXE):
	mkdir -p build/node
	npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix build/node axe-core@$(AXE_VERSION) >/dev/null

test: $(VENV)/.installed-dev translations system-deps $(AXE)
	$(BIN)/ruff check portal tests bench
	$(MAKE) --no-print-directory test-sqlite
	@if $(BIN)/python -c "import sqlalchemy as s; s.create_engine('$(PG_URL)').connect().close()" 2>/dev/null; then \
	  $(MAKE) --no-print-directory test-postgres; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL is not answering at $(PG_URL)"; exit 1; \
	else echo "PostgreSQL not answering: skipped"; fi
	@if $(BIN)/python -c "import sqlalchemy as s; s.create_engine('$(MARIA_URL)').connect().close()" 2>/dev/null; then \
	  $(MAKE) --no-print-directory test-mariadb; \
	elif [ -n "$$CI" ]; then echo "MariaDB is not answering at $(MARIA_URL)"; exit 1; \
	else echo "MariaDB not answering: skipped"; fi

test-sqlite:
	@echo "== tests on SQLite"
	PORTAL_TEST_DATABASE_URL= $(BIN)/pytest $(PYTEST_ARGS)

test-postgres:
	@echo "== tests on PostgreSQL"
	PORTAL_TEST_DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_ARGS)

test-mariadb:
	@echo "== tests on MariaDB"
	PORTAL_TEST_DATABASE_URL=$(MARIA_URL) $(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check portal tests bench

bench: $(VENV)/.installed-dev translations
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf build .pytest_cache .ruff_cache
