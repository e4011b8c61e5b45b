"""The load test: simulated users reading, filtering, exporting, logging follow-up and reviewing
at once against gunicorn, then a count in the database of every write they were told had
succeeded. See bench/README.md, "Load and faults".

    .venv/bin/python bench/load.py --database postgres
    .venv/bin/python bench/load.py --database sqlite --users 50 --duration 120
"""

from __future__ import annotations

import argparse
import datetime
import functools
import http.client
import json
import os
import random
import re
import secrets
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this directory comes first on sys.path; its modules are imported as bench.*.
sys.path.insert(0, str(ROOT))

from bench.client import CSRF_FIELD, BenchError, Client, Response, p95  # noqa: E402
from bench.run import (  # noqa: E402
    DATA, RESULTS, free_port, log, machine, run, server_environment, start_gunicorn, stop,
)

POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "tracker_load"
# What each simulated user does, by weight; "log" and "review" each read a form first.
MIX = {
    "ngo": {"read": 4, "filter": 3, "export": 1, "log": 2},
    "reviewer": {"read": 3, "filter": 1, "review": 4},
}
REVIEW_LINK = re.compile(r'href="/follow-up/(\d+)/review/"')
VERSION_FIELD = re.compile(r'name="version" value="(\d+)"')
STATUSES = ["not_started", "in_progress", "partially_implemented", "implemented"]
# A sentence of templates/500.html: the error page the app answers with when it cannot work.
ERROR_PAGE = b'id="server-error"'


@dataclass
class Sample:
    kind: str
    status: int  # 0: no HTTP answer (time-out, connection refused or cut)
    ms: float
    started: float  # seconds since the load started
    outcome: str  # "ok", "conflict" (another reviewer was first) or "error"
    error_page: bool = False  # a 5xx answered with the app's error page
    # From the response's Server-Timing header: the time the worker spent on the request, and its
    # CPU time; the rest of the client's time is spent waiting in gunicorn's queue.
    server_ms: float | None = None
    cpu_ms: float | None = None


@dataclass
class Load:
    """What the simulated users did: every request, and the markers of the writes the app
    acknowledged (a redirect to where a successful write leads) and of all those attempted."""

    started: float = field(default_factory=time.monotonic)
    finished: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    acknowledged: dict[str, list[str]] = field(
        default_factory=lambda: {"log": [], "review": []})
    attempted: dict[str, list[str]] = field(default_factory=lambda: {"log": [], "review": []})


class SimulatedUser:
    def __init__(self, person: dict, plan: dict, port: int, load: Load, prefix: str,
                 timeout: float, seed: int) -> None:
        self.person = person
        self.plan = plan
        self.load = load
        self.prefix = prefix
        self.rng = random.Random(seed)
        self.client = Client(port, timeout)
        self.client.cookies[plan["session_cookie"]] = person["session"]
        self.writes = 0

    def run(self, until: float, think: float) -> None:
        mix = MIX[self.person["role"]]
        actions, weights = list(mix), list(mix.values())
        while time.monotonic() < until:
            getattr(self, self.rng.choices(actions, weights)[0])()
            time.sleep(self.rng.uniform(0.5, 1.5) * think)

    def request(self, kind: str, method: str, path: str,
                form: dict | None = None) -> tuple[Response, float] | None:
        """The response and when the request started, or None after recording a request that
        got no answer."""
        started = time.monotonic()
        try:
            response = self.client.request(method, path, form)
        except (BenchError, OSError, http.client.HTTPException):
            self.record(kind, started, "error")
            return None
        return response, started

    def record(self, kind: str, started: float, outcome: str,
               response: Response | None = None) -> None:
        error_page = response is not None and response.status >= 500 and ERROR_PAGE in response.body
        self.load.samples.append(Sample(
            kind, response.status if response else 0,
            round((time.monotonic() - started) * 1000, 1), round(started - self.load.started, 3),
            outcome, error_page, response.server_ms if response else None,
            response.cpu_ms if response else None,
        ))

    def get(self, kind: str, path: str) -> Response | None:
        """GET a page that must answer 200; the response, or None after recording an error."""
        answer = self.request(kind, "GET", path)
        if answer is None:
            return None
        response, started = answer
        ok = response.status == 200
        self.record(kind, started, "ok" if ok else "error", response)
        return response if ok else None

    def read(self) -> None:
        path = self.rng.choice([
            "/", "/recommendations/",
            f"/recommendations/{self.rng.choice(self.plan['recommendations'])}/",
            f"/cycles/{self.rng.choice(self.plan['cycles'])}/",
        ])
        self.get("read", path)

    def filters(self) -> dict[str, str]:
        query = {"country": self.rng.choice(self.plan["countries"])}
        if self.rng.random() < 0.5:
            query["status"] = self.rng.choice(STATUSES)
        if self.rng.random() < 0.3:
            query["mechanism"] = self.rng.choice(self.plan["mechanisms"])
        if self.rng.random() < 0.2:
            query["q"] = "juvenile justice"
        if self.rng.random() < 0.3:
            query["current"] = "0"
        return query

    def filter(self) -> None:
        self.get("filter", f"/recommendations/?{urlencode(self.filters())}")

    def export(self) -> None:
        # Kept whole, to recognise the error page: a country's list is a few hundred rows.
        self.get("export", f"/recommendations/export.csv?{urlencode(self.filters())}")

    def marker(self) -> str:
        self.writes += 1
        return f"[{self.prefix}:{self.person['name']}:{self.writes}]"

    def post(self, kind: str, path: str, form: dict, marker: str, success: str,
             conflict: re.Pattern | None = None) -> None:
        """POST a form; acknowledged if the app redirects where it does after saving."""
        self.load.attempted[kind].append(marker.strip("[]"))
        answer = self.request(kind, "POST", path, form)
        if answer is None:
            return
        response, started = answer
        if response.status == 302 and response.location == success:
            self.load.acknowledged[kind].append(marker.strip("[]"))
            outcome = "ok"
        elif conflict and (response.status == 403 or (
                response.status == 302 and conflict.fullmatch(response.location))):
            outcome = "conflict"
        else:
            outcome = "error"
        self.record(kind, started, outcome, response)

    def log(self) -> None:
        """Log a follow-up entry on a recommendation's page and submit it for review."""
        pk = self.rng.choice(self.plan["recommendations"])
        page = self.get("read", f"/recommendations/{pk}/")
        token = page and CSRF_FIELD.search(page.body.decode())
        if not token:
            return
        marker = self.marker()
        self.post("log", f"/recommendations/{pk}/follow-up/", {
            "csrfmiddlewaretoken": token.group(1), "status": self.rng.choice(STATUSES),
            "grade": "", "date": datetime.date.today().isoformat(),
            "summary": f"Load test follow-up {marker}", "evidence": "", "evidence_links": "",
            "submit": "",
        }, marker, success=f"/recommendations/{pk}/")

    def review(self) -> None:
        """Accept or dispute an entry of the review queue's first page."""
        queue = self.get("read", "/follow-up/review/")
        entries = queue and REVIEW_LINK.findall(queue.body.decode())
        if not entries:
            return
        pk = self.rng.choice(entries)
        answer = self.request("read", "GET", f"/follow-up/{pk}/review/")
        if answer is None:
            return
        form, started = answer
        if form.status == 403:  # another reviewer took it since the queue was read
            self.record("read", started, "conflict", form)
            return
        self.record("read", started, "ok" if form.status == 200 else "error", form)
        token = CSRF_FIELD.search(form.body.decode())
        version = VERSION_FIELD.search(form.body.decode())
        if form.status != 200 or not token or not version:
            return
        marker = self.marker()
        accepted = self.rng.random() < 0.7
        self.post("review", f"/follow-up/{pk}/review/", {
            "csrfmiddlewaretoken": token.group(1), "decision": "accept" if accepted else "dispute",
            "note": f"Load test review {marker}", "version": version.group(1),
        }, marker, success="/follow-up/review/",
            conflict=re.compile(rf"/follow-up/{pk}/review/"))


def run_load(port: int, plan: dict, duration: float, think: float, timeout: float,
             prefix: str, seed: int) -> Load:
    """The plan's simulated users, each in a thread, for `duration` seconds."""
    chosen = plan["users"]
    load = Load()
    until = load.started + duration
    threads = []
    for number, person in enumerate(chosen):
        user = SimulatedUser(person, plan, port, load, prefix, timeout, seed * 1000 + number)
        thread = threading.Thread(target=user.run, args=(until, think), daemon=True)
        thread.start()
        threads.append(thread)
        # Users arrive over the first seconds rather than all in the same millisecond.
        time.sleep(min(2.0, duration / 10) / len(chosen))
    for thread in threads:
        thread.join()
    load.finished = time.monotonic()
    return load


def summarize(samples: list[Sample], seconds: float) -> dict[str, Any]:
    """Throughput, the median and 95th percentile (nearest rank) and the errors, by kind."""
    kinds: dict[str, Any] = {}
    for kind in sorted({sample.kind for sample in samples}):
        own = [sample for sample in samples if sample.kind == kind]
        times = sorted(sample.ms for sample in own)
        server = sorted(sample.server_ms for sample in own if sample.server_ms is not None)
        cpu = sorted(sample.cpu_ms for sample in own if sample.cpu_ms is not None)
        kinds[kind] = {
            "requests": len(own),
            "per_second": round(len(own) / seconds, 2),
            "p50_ms": times[(len(times) - 1) // 2],
            "p95_ms": p95(times),
            "max_ms": times[-1],
            "server_p50_ms": server[(len(server) - 1) // 2] if server else None,
            "cpu_p50_ms": cpu[(len(cpu) - 1) // 2] if cpu else None,
            "conflicts": sum(sample.outcome == "conflict" for sample in own),
            "errors": dict(Counter(
                str(sample.status) for sample in own if sample.outcome == "error")),
        }
    errors = Counter(str(sample.status) for sample in samples if sample.outcome == "error")
    return {
        "requests": len(samples),
        "per_second": round(len(samples) / seconds, 2),
        "errors": dict(errors),
        "server_errors": sum(count for status, count in errors.items() if status.startswith("5")),
        "kinds": kinds,
    }


def verify(acknowledged: list[str], attempted: list[str], found: list[str]) -> dict[str, Any]:
    """Compare the writes the app acknowledged with the markers found in the database, one per
    row: each acknowledged one must be there exactly once. A write whose answer was lost (a
    time-out, a cut connection) may be there too, once at most."""
    rows = Counter(found)
    told = set(acknowledged)
    missing = sorted(marker for marker in told if rows[marker] == 0)
    duplicated = sorted(marker for marker, count in rows.items() if count > 1)
    unknown = sorted(set(rows) - set(attempted))
    return {
        "attempted": len(attempted),
        "acknowledged": len(told),
        "found": len(rows),
        "missing": missing,
        "duplicated": duplicated,
        "saved_without_acknowledgement": len(set(rows) - told),
        "not_from_this_run": unknown,
        "exactly_once": not missing and not duplicated and not unknown,
    }


def probe(env: dict[str, str], *arguments: str) -> dict[str, Any]:
    output = subprocess.run([sys.executable, "-m", "bench.load_probe", *arguments], cwd=ROOT,
                            env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(output)


def check_writes(env: dict[str, str], load: Load, prefix: str) -> dict[str, Any]:
    found = probe(env, "markers", "--prefix", prefix)
    return {kind: verify(load.acknowledged[kind], load.attempted[kind], found[kind])
            for kind in ("log", "review")}


def load_environment(url: str) -> dict[str, str]:
    """The benchmark's production environment, plus the errors the app logs (bench/
    load_settings.py) written to gunicorn's log, where this script counts them."""
    return server_environment(url) | {"DJANGO_SETTINGS_MODULE": "bench.load_settings"}


def server_log_counts(log_path: Path) -> dict[str, int]:
    """What the app logged while the load ran: errors (Django's reports, and gunicorn's for an
    error Django could not even handle), SQLite's lock time-outs, sessions that could not be
    saved (a 400), workers killed."""
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    # Each report's traceback names its exception more than once: count one line per report.
    return {
        "error_reports": text.count("\nInternal Server Error: "),
        "unhandled_errors": text.count("Error handling request"),
        "operational_errors": text.count("\ndjango.db.utils.OperationalError: "),
        "database_is_locked": text.count("\ndjango.db.utils.OperationalError: database is locked"),
        "session_not_saved": text.count("\nThe request's session was deleted"),
        "worker_timeouts": text.count("WORKER TIMEOUT"),
    }


def database_url(database: str, size: str) -> str:
    if database == "postgres":
        return f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
    return f"sqlite:///{DATA / f'load-{size}.sqlite3'}"


def prepare(database: str, size: str, args: argparse.Namespace, env: dict[str, str],
            reuse: bool) -> dict[str, Any]:
    """The database with the demo and the synthetic data, built again unless `reuse` and it
    exists. Writes of earlier runs stay: each run counts only its own markers."""
    if database == "sqlite":
        path = DATA / f"load-{size}.sqlite3"
        exists = path.exists()
        if not (reuse and exists):
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
    else:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                        [POSTGRES_DATABASE]).fetchone() is not None
            if not (reuse and exists):
                connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
                connection.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")
    if reuse and exists:
        run(["manage.py", "migrate", "--verbosity", "0"], env)
        return {"reused": True}
    return {"reused": False, "seconds": build(env, args.recommendations, args.assessments,
                                              args.seed)}


def build(env: dict[str, str], recommendations: int, assessments: int, seed: int) -> float:
    started = time.monotonic()
    run(["manage.py", "migrate", "--verbosity", "0"], env)
    run(["manage.py", "load_demo", "--verbosity", "0"], env)
    run(["manage.py", "generate_scale_data", "--recommendations", str(recommendations),
         "--assessments", str(assessments), "--seed", str(seed)], env, nice=True)
    return round(time.monotonic() - started, 1)


def report(results: dict[str, Any]) -> str:
    """The results as the README's table."""
    total = results["summary"]
    lines = [
        f"{results['database']}, {results['users']} users, {results['duration_s']} s: "
        f"{total['requests']} requests, {total['per_second']}/s, "
        f"errors {total['errors'] or 'none'}",
        "",
        "| kind | requests | per s | p50 ms | p95 ms | max ms | server p50 ms | CPU p50 ms "
        "| conflicts | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for kind, row in total["kinds"].items():
        errors = ", ".join(f"{count}× {status}" for status, count in row["errors"].items())
        lines.append(f"| {kind} | {row['requests']} | {row['per_second']} | {row['p50_ms']} | "
                     f"{row['p95_ms']} | {row['max_ms']} | {row['server_p50_ms']} | "
                     f"{row['cpu_p50_ms']} | {row['conflicts']} | {errors or '0'} |")
    for kind, check in results["writes"].items():
        lines.append(
            f"\n{kind}: {check['acknowledged']} acknowledged of {check['attempted']} attempted, "
            f"{check['found']} found; missing {len(check['missing'])}, duplicated "
            f"{len(check['duplicated'])}, saved without acknowledgement "
            f"{check['saved_without_acknowledgement']}: "
            f"{'exactly once' if check['exactly_once'] else 'NOT exactly once'}")
    lines.append(f"\nserver log: {results['server_log']}; load average before "
                 f"{results['load_before']}, after {results['load_after']}")
    return "\n".join(lines)


def add_load_arguments(parser: argparse.ArgumentParser, users: int, duration: float) -> None:
    parser.add_argument("--users", type=int, default=users, help="simulated users at once")
    parser.add_argument("--duration", type=float, default=duration, help="seconds of load")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a user waits between two actions")
    parser.add_argument("--workers", type=int, default=5,
                        help="gunicorn workers (make serve's default on 2 cores)")
    parser.add_argument("--timeout", type=float, default=60,
                        help="seconds a client waits for an answer")
    parser.add_argument("--seed", type=int, default=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--recommendations", type=int, default=20_000)
    parser.add_argument("--assessments", type=int, default=80_000)
    parser.add_argument("--reuse", action="store_true",
                        help="Keep the database if it exists (only migrations are applied).")
    parser.add_argument("--hold-write-lock", type=float, nargs=2, metavar=("AT", "SECONDS"),
                        help="SQLite: AT seconds into the load, hold the database's write lock "
                             "for SECONDS, as a long import does")
    add_load_arguments(parser, users=50, duration=120)
    args = parser.parse_args()
    if args.hold_write_lock and args.database != "sqlite":
        parser.error("--hold-write-lock is for SQLite, whose writers take turns")
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    size = f"{args.recommendations}-{args.assessments}"
    env = load_environment(database_url(args.database, size))
    results: dict[str, Any] = {
        "database": args.database,
        "recommendations": args.recommendations,
        "assessments": args.assessments,
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        **{key: getattr(args, key) for key in ("users", "think", "workers", "timeout", "seed")},
        "duration_s": args.duration,
        "hold_write_lock": args.hold_write_lock,
        "machine": machine(args.database, env),
    }
    results["setup"] = prepare(args.database, size, args, env, args.reuse)
    run(["manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
    plan = make_users(env, args)
    during = None
    if args.hold_write_lock:
        path = env["DATABASE_URL"].removeprefix("sqlite:///")
        during = functools.partial(hold_write_lock, path, *args.hold_write_lock)
    results.update(execute(env, plan, args, DATA / f"load-{args.database}-gunicorn.log", during))
    if during:
        results["write_lock"] = write_lock_effect(results.pop("samples"), results["events"])
    name = f"load-{args.database}{'-write-lock' if during else ''}.json"
    path = RESULTS / name
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(report(results))
    log(f"results written to {path.relative_to(ROOT)}")


def hold_write_lock(path: str, at: float, seconds: float, events: dict[str, float]) -> None:
    """Take SQLite's write lock (a transaction that has written) and keep it for `seconds`."""
    time.sleep(at)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    events["locked"] = time.monotonic()
    log(f"holding the write lock for {seconds:.0f} s")
    time.sleep(seconds)
    connection.execute("ROLLBACK")
    connection.close()
    events["released"] = time.monotonic()


def write_lock_effect(samples: list[dict], events: dict[str, float]) -> dict[str, Any]:
    """The requests under way while the lock was held, by kind and answer."""
    held = [sample for sample in samples
            if sample["started"] + sample["ms"] / 1000 >= events["locked"]
            and sample["started"] < events["released"]]
    return {
        kind: dict(Counter(str(sample["status"]) for sample in held if sample["kind"] == kind))
        for kind in sorted({sample["kind"] for sample in held})
    }


def make_users(env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    """The simulated users, a fifth of them reviewers, with their sessions (bench/load_probe.py)."""
    reviewers = max(1, args.users // 5)
    return probe(env, "users", "--ngo", str(max(1, args.users - reviewers)),
                 "--reviewers", str(reviewers), "--seed", str(args.seed))


def execute(env: dict[str, str], plan: dict, args: argparse.Namespace, log_path: Path,
            during: Any = None) -> dict[str, Any]:
    """Serve the app, run the load (and `during(load)` in a thread beside it, for the fault
    test), stop the server and count the writes."""
    prefix = f"LT-{secrets.token_hex(4)}"
    port = free_port()
    # The static file answers without the database, which a held write lock may block.
    server = start_gunicorn(port, args.workers, env, timeout=int(args.timeout * 2),
                            log_path=log_path, ready_path="/static/css/tracker.css")
    results: dict[str, Any] = {"prefix": prefix, "load_before": os.getloadavg()}
    try:
        log(f"{args.users} users for {args.duration:.0f} s")
        events: dict[str, float] = {}
        side = None
        if during is not None:
            side = threading.Thread(target=during, args=(events,), daemon=True)
            side.start()
        load = run_load(port, plan, args.duration, args.think, args.timeout,
                        prefix, args.seed)
        if side is not None:
            side.join()
        results["load_after"] = os.getloadavg()
    finally:
        stop(server)
    seconds = load.finished - load.started
    results["summary"] = summarize(load.samples, seconds)
    results["writes"] = check_writes(env, load, prefix)
    results["server_log"] = server_log_counts(log_path)
    results["events"] = {name: round(at - load.started, 1) for name, at in events.items()}
    results["samples"] = [asdict(sample) for sample in load.samples] if during else []
    results["finished"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    return results


if __name__ == "__main__":
    main()
