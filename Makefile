# Quick start: `make run` (the product on http://127.0.0.1:8000) and `make test` (the whole suite).
# Both bootstrap .venv from the pinned requirements.txt on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
# Two workers: the suite includes browser, worker and server-process tests; 2 cores here.
PYTEST_ARGS ?= -n 2
# Test-only key: tests run with DEBUG off, which requires a SECRET_KEY.
TEST_ENV := SECRET_KEY=test-only-secret-key-not-for-production-use-0123456789

.PHONY: run test lint fmt lock venv translations clean e2e-deps check-figures

venv: $(STAMP)

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

translations: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py compile_translations

run: $(STAMP) translations
	DEBUG=1 TRACKER_DEMO=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 TRACKER_DEMO=1 $(BIN)/python manage.py load_catalogue
	DEBUG=1 TRACKER_DEMO=1 $(BIN)/python manage.py load_demo
	DEBUG=1 TRACKER_DEMO=1 $(BIN)/python manage.py runserver $(HOST)

test: $(STAMP) translations
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

# The demo data set loaded from scratch into DATABASE_URL (default: a throw-away SQLite file), then
# swept for contradictions between figures and statuses (exits non-zero on any).
CHECK_DATABASE_URL ?= sqlite:///$(CURDIR)/.check-figures.sqlite3
check-figures: $(STAMP) translations
	rm -f .check-figures.sqlite3
	DATABASE_URL=$(CHECK_DATABASE_URL) DEBUG=1 TRACKER_DEMO=1 $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL=$(CHECK_DATABASE_URL) DEBUG=1 TRACKER_DEMO=1 $(BIN)/python manage.py load_catalogue
	DATABASE_URL=$(CHECK_DATABASE_URL) DEBUG=1 TRACKER_DEMO=1 $(BIN)/python manage.py load_demo --replace
	DATABASE_URL=$(CHECK_DATABASE_URL) DEBUG=1 TRACKER_DEMO=1 $(BIN)/python manage.py check_figures

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/mypy .
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate the pins after editing requirements.in.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv && .lockenv/bin/pip install --quiet -r requirements.in
	(echo "# Generated from requirements.in by 'make lock' (pip freeze of a fresh venv)"; .lockenv/bin/pip freeze | grep -v '^pip==') > requirements.txt
	rm -rf .lockenv

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache .mypy_cache .ruff_cache
