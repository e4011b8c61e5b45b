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


def timed(client, url: str, repeats: int) -> tuple[float, int, dict]:
    """The p95 (ms) and query count of GET url, and its last answer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, body = [], {}
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.content[:300])
        body = response.json()
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    return p95, len(queries), body


def deep(client, url: str, pages: int, size: int) -> str:
    """The address of page `pages` of the list, by following the cursor (read at the page
    size that gets there fastest, then asked at `size`)."""
    from urllib.parse import parse_qs, urlparse

    step = 500
    target, link = (pages - 1) * size, f"{url}&page_size={step}"
    for _ in range(target // step):
        link = client.get(link).json()["next"]
        if link is None:
            return ""
    cursor = parse_qs(urlparse(link).query)["cursor"][0]
    return f"{url}&page_size={size}&cursor={cursor}"


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
    lists = {f"sort={sort}": f"/api/recommendations/?current=0&sort={sort}" for sort in SORTS}
    lists |= {"status=implemented": "/api/recommendations/?status=implemented",
              "has_follow_up=true": "/api/recommendations/?has_follow_up=true"}
    for name, address in lists.items():
        for label, link in (("page 1", f"{address}&page_size=25"),
                            ("page 2,000", deep(client, address, 2000, 25))):
            if not link:
                continue
            p95, queries, _body = timed(client, link, args.repeats)
            rows.append({"list": name, "page": label, "p95_ms": round(p95, 1),
                         "queries": queries})
            print(f"{name:28} {label:10} p95 {p95:7.1f} ms  {queries} queries", flush=True)
    for page_size in (25, 500):
        p95, queries, _ = timed(client, f"/api/recommendations/?page_size={page_size}",
                                args.repeats)
        rows.append({"list": "default", "page": f"size {page_size}", "p95_ms": round(p95, 1),
                     "queries": queries})
        print(f"{'default':28} size {page_size:<5} p95 {p95:7.1f} ms  {queries} queries")
    out = ROOT / "bench" / "results" / f"api-{args.database}-{args.recommendations}.json"
    out.write_text(json.dumps({"size": size, "database": args.database, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
