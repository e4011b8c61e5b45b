"""gunicorn's settings for `make serve` (README, "Deployment"). gunicorn reads this file by itself
when started from the repository's root; options given on its command line win.

Environment: GUNICORN_WORKERS (default: 2 per core + 1, at most 12), GUNICORN_TIMEOUT (seconds a
request may take, default 120: the streamed exports of a large filtered list take a while),
GUNICORN_ACCESS_LOG ("-" for standard output; off by default, the reverse proxy logs requests).
"""

import gc
import os

# Sync workers: each serves one request at a time and holds one database connection, so the
# servers' workers together must stay under PostgreSQL's max_connections (100 by default).
workers = int(os.environ.get("GUNICORN_WORKERS") or min(2 * len(os.sched_getaffinity(0)) + 1, 12))
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 120)
# SIGTERM (a deployment, systemd stopping the service) lets requests in progress finish first.
graceful_timeout = 30
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None


def post_worker_init(worker) -> None:
    """Keeps the garbage collector's full passes short and rare. A page builds tens of thousands
    of objects; with Python's defaults some outlive two young collections and pile up in the
    oldest generation, whose full pass over the whole heap (Django, the app, every module) took
    100–160 ms every few requests of the cycle page, the 95th percentile of its time. Freezing
    what the loaded app holds takes it out of those passes; a larger first threshold makes the
    young collections, and so the promotions, rarer."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 10)
