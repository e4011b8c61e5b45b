# The two commands a fresh machine needs: `make demo` and `make test` (see README).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1:8000

.PHONY: install demo serve test test-sqlite test-postgres messages

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

# Production (README, "Deployment"): gunicorn (gunicorn.conf.py) with static files served by
# whitenoise, on PostgreSQL, with the background-job worker beside it. SECRET_KEY and
# ALLOWED_HOSTS come from the environment too.
serve: install
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; *) \
		echo "make serve runs on PostgreSQL: set DATABASE_URL, e.g." \
			"DATABASE_URL=postgres://tracker@127.0.0.1:5432/tracker (README, Deployment)." >&2; \
		exit 1;; esac
	DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DEBUG=0 $(BIN)/python manage.py createcachetable
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	DEBUG=0 $(BIN)/gunicorn tracker.wsgi:application --bind $(HOST)

# The two databases' runs side by side: each spends much of its time waiting on its database or
# the browser, and CI must stay under 20 minutes. --output-sync keeps each run's report together.
test: install
	bin/ensure-chromium
	$(BIN)/python manage.py makemigrations --check --dry-run
	bin/ensure-postgres
	$(MAKE) -j2 --output-sync=target test-sqlite test-postgres

test-sqlite: install
	$(BIN)/pytest

test-postgres: install
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest

messages: install
	$(BIN)/python manage.py makemessages --locale fr --locale ru --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'staticfiles/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'
