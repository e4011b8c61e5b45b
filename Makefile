# The two commands a fresh machine needs: `make demo` and `make test` (see README).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1:8000

.PHONY: install demo test test-sqlite test-postgres messages

$(BIN)/python: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/python

install: $(BIN)/python

demo: install
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py load_demo --admin
	@# The worker runs the background jobs beside the server and is stopped when the server stops
	@# (Ctrl-C reaches both; SIGTERM lets it finish the job it is running).
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(BIN)/python manage.py runserver $(HOST)

test: install
	bin/ensure-chromium
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(MAKE) test-sqlite
	bin/ensure-postgres
	$(MAKE) test-postgres

test-sqlite: install
	$(BIN)/pytest

test-postgres: install
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest

messages: install
	$(BIN)/python manage.py makemessages --locale fr --locale ru --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'staticfiles/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'
