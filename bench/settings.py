"""The settings the benchmark serves the app with: the project's own, plus

- the development-only app bench.scale (its generate_scale_data command);
- bench.middleware.BenchHeadersMiddleware, first, so that it times every other middleware: each
  response tells its server time and SQL query count in headers;
- static files collected under bench/data/ rather than into the repository's staticfiles/, which
  the development server and the tests would otherwise serve stale copies from."""

from tracker.settings import *  # noqa: F403
from tracker.settings import BASE_DIR, INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "bench.scale"]
MIDDLEWARE = ["bench.middleware.BenchHeadersMiddleware", *MIDDLEWARE]
STATIC_ROOT = BASE_DIR / "bench" / "data" / "staticfiles"
