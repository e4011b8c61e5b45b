"""What the benchmark's server adds to the app (bench/settings.py installs it): each response
tells its server time and SQL query count."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse


class QueryCounter:
    """An execute wrapper that counts the queries run through it and the time they take."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute: Callable, sql: str, params, many: bool, context: dict):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


class BenchHeadersMiddleware:
    """Tells the client how long the server spent on a request and how many SQL queries it ran:
    `Server-Timing: app;dur=<ms>, cpu;dur=<ms>, db;dur=<ms>` and `X-Query-Count: <n>`. "cpu" is
    the worker process's own CPU time, which other processes on a busy machine do not inflate
    (SQLite's work is in it; PostgreSQL's is in the database server's processes).

    Measured from the outside of every other middleware (settings put this one first) to the
    moment the response is returned: the body of a streaming response is produced afterwards,
    so for a streamed CSV these headers cover only the view's set-up.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = QueryCounter()
        started, cpu_started = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        app_ms = (time.perf_counter() - started) * 1000
        cpu_ms = (time.process_time() - cpu_started) * 1000
        response["Server-Timing"] = (
            f"app;dur={app_ms:.1f}, cpu;dur={cpu_ms:.1f}, db;dur={counter.seconds * 1000:.1f}"
        )
        response["X-Query-Count"] = str(counter.count)
        return response
