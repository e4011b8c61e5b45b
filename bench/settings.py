"""The settings the benchmark serves the app with: the project's own, except that static files
are collected under bench/data/ rather than into the repository's staticfiles/, which the
development server and the tests would otherwise serve stale copies from."""

from tracker.settings import *  # noqa: F403
from tracker.settings import BASE_DIR

STATIC_ROOT = BASE_DIR / "bench" / "data" / "staticfiles"
