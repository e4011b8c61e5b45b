"""The settings the load and fault tests serve the app with: the benchmark's, plus the errors
the app meets (an exception in a view, "database is locked") and the refusals (4xx) written to
standard error, which gunicorn's log keeps and bench/load.py counts. With DEBUG off Django
otherwise only e-mails the errors to ADMINS."""

from bench.settings import *  # noqa: F403

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    # Warnings too: a session that cannot be saved (SQLite's write lock not had in time) is a 400,
    # "Bad Request: <path>", with the cause in its traceback.
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "WARNING"}},
}
