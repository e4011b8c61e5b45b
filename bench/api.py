"""Times the API's recommendations endpoint in process (Django's test client, no HTTP server),
on a database of synthetic data built as bench/run.py builds it: the first page and a page
2,000 pages deep by cursor, for each ordering and a few filters, with the SQL queries each asks.

    .venv/bin/python bench/api.py --recommendations 100000 --assessments 400000 [--database postgres]

Writes bench/results/api-<database>-<recommendations>.json and prints a table."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"


def prepare(url: str, args: argparse.Namespace) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True)
    if args.reuse:
        return
    subprocess.run([*manage, "load_demo", "-v", "0"], env=env, check=True)
    subprocess.run(["nice", *manage, "generate_scale_data", "--seed", "1", "--recommendations",
                    str(args.recommendations), "--assessments", str(args.assessments)],
                   env=env, check=True)


def timed(client, url: str, repeats: int) -> tuple[float, float, int]:
    """The p95 of GET url in ms, of the wall clock and of this process's CPU time (SQLite's
    work is in it; a busy machine does not inflate it), and its query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]

    wall, cpu = [], []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.content[:300])
    return p95(wall), p95(cpu), len(queries)


def deep(address: str, ordering: list[str], pages: int, size: int, filters: dict) -> str:
    """The address of page `pages` of the list: its cursor made from the last row of the page
    before, read by offset here (following 2,000 `next` links would take the run's time)."""
    from recommendations.models import Recommendation
    from tracker.api.pagination import CursorPagination

    rows = Recommendation.objects.filter(**filters).order_by(*ordering)
    last = rows[(pages - 1) * size - 1:(pages - 1) * size].first()
    if last is None:
        return ""
    paginator = CursorPagination()
    paginator.ordering = ordering
    return f"{address}&page_size={size}&cursor={paginator.encode(last)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--recommendations", type=int, default=100_000)
    parser.add_argument("--assessments", type=int, default=400_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    size = f"{args.recommendations}-{args.assessments}"
    url = (f"sqlite:///{DATA}/api-{size}.sqlite3" if args.database == "sqlite"
           else "postgres://postgres@127.0.0.1:5432/tracker_bench_api")
    if args.database == "postgres" and not args.reuse:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c",
                        "DROP DATABASE IF EXISTS tracker_bench_api"], check=True)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c",
                        "CREATE DATABASE tracker_bench_api"], check=True)
    elif not args.reuse:
        Path(f"{DATA}/api-{size}.sqlite3").unlink(missing_ok=True)
    prepare(url, args)
    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="tracker.settings",
                      TRACKER_API_RATE="1000000/minute")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client

    from tracker.api.models import ApiToken
    from tracker.api.records import SORTS

    user, _ = User.objects.get_or_create(username="bench-api")
    client = Client(headers={
        "Authorization": f"Bearer {ApiToken.objects.create_for(user, 'bench', False)[1]}"
    }, SERVER_NAME="localhost")
    rows = []
    lists = {f"sort={sort}": (f"/api/recommendations/?current=0&sort={sort}", SORTS[sort], {})
             for sort in SORTS}
    lists |= {
        "status=implemented": ("/api/recommendations/?current=0&status=implemented",
                               SORTS["country"], {"status": "implemented"}),
        "has_follow_up=true": ("/api/recommendations/?current=0&has_follow_up=true",
                               SORTS["country"], {"has_follow_up": True}),
    }
    for name, (address, ordering, filters) in lists.items():
        for label, link in (("page 1", f"{address}&page_size=25"),
                            ("page 2,000", deep(address, ordering, 2000, 25, filters))):
            if not link:
                continue
            wall, cpu, queries = timed(client, link, args.repeats)
            rows.append({"list": name, "page": label, "p95_ms": round(wall, 1),
                         "p95_cpu_ms": round(cpu, 1), "queries": queries})
            print(f"{name:28} {label:10} p95 {wall:7.1f} ms, cpu {cpu:6.1f} ms, {queries} "
                  "queries", flush=True)
    for page_size in (25, 500):
        wall, cpu, queries = timed(client, f"/api/recommendations/?page_size={page_size}",
                                   args.repeats)
        rows.append({"list": "default", "page": f"size {page_size}", "p95_ms": round(wall, 1),
                     "p95_cpu_ms": round(cpu, 1), "queries": queries})
        print(f"{'default':28} size {page_size:<5} p95 {wall:7.1f} ms, cpu {cpu:6.1f} ms, "
              f"{queries} queries", flush=True)
    out = ROOT / "bench" / "results" / f"api-{args.database}-{args.recommendations}.json"
    out.write_text(json.dumps({"size": size, "database": args.database, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
