"""gunicorn's settings for `make serve` (README, "Deployment"). gunicorn reads this file by itself
when started from the repository's root; options given on its command line win.

Environment: GUNICORN_WORKERS (default: 2 per core + 1, at most 12), GUNICORN_TIMEOUT (seconds a
request may take, default 120: the streamed exports of a large filtered list take a while),
GUNICORN_ACCESS_LOG ("-" for standard output; off by default, the reverse proxy logs requests).
"""

import os

# Sync workers: each serves one request at a time and holds one database connection, so the
# servers' workers together must stay under PostgreSQL's max_connections (100 by default).
workers = int(os.environ.get("GUNICORN_WORKERS") or min(2 * len(os.sched_getaffinity(0)) + 1, 12))
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 120)
# SIGTERM (a deployment, systemd stopping the service) lets requests in progress finish first.
graceful_timeout = 30
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
