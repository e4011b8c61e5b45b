"""The benchmark: builds a database of synthetic data, serves the app with gunicorn and times its
pages over HTTP next to the admin pages that do the same. See bench/README.md.

    .venv/bin/python bench/run.py --database sqlite --recommendations 20000 --assessments 80000
    .venv/bin/python bench/run.py --database postgres --recommendations 500000 \
        --assessments 2000000 --reuse
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this directory comes first on sys.path; its modules are imported as bench.*.
sys.path.insert(0, str(ROOT))

from bench.client import BenchError, Client, measure, measure_download  # noqa: E402
from bench.pages import export_url, pages  # noqa: E402
from bench.report import markdown  # noqa: E402

DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "tracker_bench"
EMPTY_LIST = b"No recommendations match these filters."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--recommendations", type=int, default=500_000)
    parser.add_argument("--assessments", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true",
                        help="Keep the database if it already holds data of this size.")
    parser.add_argument("--prepare-only", action="store_true",
                        help="Build (or check, with --reuse) the database, then stop.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--warmup", type=int, default=3, help="requests not counted, per URL")
    parser.add_argument("--repeats", type=int, default=20, help="requests counted, per URL")
    parser.add_argument("--budget", type=float, default=30,
                        help="seconds of counted requests per URL; a slow page gets fewer, "
                             "never fewer than --min-repeats")
    parser.add_argument("--min-repeats", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=60, help="seconds a page may take")
    parser.add_argument("--export-repeats", type=int, default=3)
    parser.add_argument("--import-repeats", type=int, default=5)
    args = parser.parse_args()
    # A SIGTERM (a CI's time limit, kill) unwinds like Ctrl-C, so gunicorn is stopped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    size = f"{args.recommendations}-{args.assessments}"
    env = server_environment(database_url(args.database, size))
    results: dict[str, Any] = {
        "database": args.database,
        "recommendations": args.recommendations,
        "assessments": args.assessments,
        "seed": args.seed,
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(args.database, env),
        "settings": {key: getattr(args, key) for key in (
            "workers", "warmup", "repeats", "budget", "min_repeats", "timeout", "export_repeats",
            "import_repeats")},
    }
    results["setup"] = prepare_database(args, size, env)
    if args.prepare_only:
        log(f"database ready: {json.dumps(results['setup'])}")
        return
    run(["manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
    password = secrets.token_urlsafe(16)
    results["values"] = targets = probe(env, "targets", f"--password={password}")
    log(f"values: {json.dumps(targets)}")

    port = free_port()
    server = start_gunicorn(port, args.workers, env)
    try:
        client = Client(port, args.timeout)
        client.log_in("bench", password)
        results["load_before"] = os.getloadavg()
        results["pages"] = measure_pages(client, targets, args)
        results["exports"] = {
            extension: measure_download(
                client, export_url(extension, targets), server.pid, warmup=1,
                repeats=args.export_repeats, timeout=300,
            )
            for extension in ("csv", "xlsx")
        }
        results["load_after"] = os.getloadavg()
    finally:
        stop(server)
    log("timing the import of the seed replies")
    try:
        results["import"] = probe(env, "import", "--repeats", str(args.import_repeats))
    except subprocess.CalledProcessError as error:
        # The pages' results are worth keeping; the traceback went to stderr.
        results["import"] = {"error": f"bench.probe import exited with {error.returncode}"}
    results["finished"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")

    path = RESULTS / f"{args.database}-{size}.json"
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(results, indent=2) + "\n")
    partial.replace(path)
    print(markdown(results))
    log(f"results written to {path.relative_to(ROOT)}")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def database_url(database: str, size: str) -> str:
    if database == "postgres":
        return f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
    return f"sqlite:///{DATA / f'sqlite-{size}.sqlite3'}"


def server_environment(url: str) -> dict[str, str]:
    """Production settings (README, "Deployment") but plain HTTP on the loopback interface."""
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "TRACKER_BACKGROUND_EXPORT_ROWS": "0",  # the exports are timed as direct downloads
    }


def run(command: list[str], env: dict[str, str], nice: bool = False) -> float:
    """Run a Python command of the project and return how long it took. `nice`: at a lower
    priority, for the long data generation on a machine others use."""
    log(" ".join(command))
    started = time.monotonic()
    subprocess.run([sys.executable, *command], cwd=ROOT, env=env, check=True,
                   preexec_fn=(lambda: os.nice(10)) if nice else None)
    return round(time.monotonic() - started, 1)


def probe(env: dict[str, str], *arguments: str) -> dict[str, Any]:
    output = subprocess.run([sys.executable, "-m", "bench.probe", *arguments], cwd=ROOT, env=env,
                            check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(output)


def prepare_database(args: argparse.Namespace, size: str, env: dict[str, str]) -> dict:
    """A new database with the reference lists, the demo and the synthetic data; with --reuse,
    the existing one if it holds data of the requested size."""
    if args.reuse and database_exists(args.database, size):
        found = probe(env, "counts")
        if found["synthetic_recommendations"] == args.recommendations:
            log(f"reusing the database: {found}")
            # The code may have gained migrations since the data was generated.
            run(["manage.py", "migrate", "--verbosity", "0"], env)
            return {"reused": True, "counts": found}
        log(f"the database holds other data ({found}): building it again")
    create_database(args.database, size)
    setup: dict[str, Any] = {"reused": False}
    setup["migrate_s"] = run(["manage.py", "migrate", "--verbosity", "0"], env)
    setup["load_demo_s"] = run(["manage.py", "load_demo", "--verbosity", "0"], env)
    setup["generate_s"] = run([
        "manage.py", "generate_scale_data", "--recommendations", str(args.recommendations),
        "--assessments", str(args.assessments), "--seed", str(args.seed),
    ], env, nice=True)
    started = time.monotonic()
    analyze(args.database, size)
    setup["analyze_s"] = round(time.monotonic() - started, 1)
    setup["counts"] = probe(env, "counts")
    return setup


def database_exists(database: str, size: str) -> bool:
    if database == "sqlite":
        return Path(database_url(database, size).removeprefix("sqlite:///")).exists()
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres") as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  [POSTGRES_DATABASE]).fetchone() is not None


def create_database(database: str, size: str) -> None:
    if database == "sqlite":
        path = Path(database_url(database, size).removeprefix("sqlite:///"))
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        return
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        # FORCE ends the connections still open to it: only the benchmark's own use it.
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")


def analyze(database: str, size: str) -> None:
    """Gather the planner's statistics after the bulk load, as PostgreSQL's autovacuum would do
    a little later on its own and as a SQLite deployment does with ANALYZE after an import."""
    log("ANALYZE")
    if database == "sqlite":
        connection = sqlite3.connect(database_url(database, size).removeprefix("sqlite:///"))
        connection.execute("ANALYZE")
        connection.close()
        return
    with psycopg.connect(f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}", autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def machine(database: str, env: dict[str, str]) -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    memory_kb = next(int(line.split()[1]) for line in open("/proc/meminfo")
                     if line.startswith("MemTotal:"))
    if database == "postgres":
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres") as connection:
            server = connection.execute("SHOW server_version").fetchone()[0]
    else:
        server = sqlite3.sqlite_version
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "database_version": server,
        "commit": commit,
    }


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return probe_socket.getsockname()[1]


def start_gunicorn(port: int, workers: int, env: dict[str, str], *, timeout: int = 300,
                   log_path: Path = DATA / "gunicorn.log",
                   ready_path: str = "/accounts/login/") -> subprocess.Popen:
    """gunicorn serving the app, once `ready_path` answers 200; `timeout`: a worker's limit."""
    log(f"gunicorn on 127.0.0.1:{port}, {workers} workers")
    log_path.unlink(missing_ok=True)
    server = subprocess.Popen(
        [BIN / "gunicorn", "tracker.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", str(timeout), "--graceful-timeout", "10",
         "--error-logfile", log_path, "--capture-output"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    client = Client(port, timeout=10)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn stopped at start-up: see {log_path}")
        try:
            if client.request("GET", ready_path).status == 200:
                return server
        except (OSError, BenchError, http.client.HTTPException):
            pass
        time.sleep(0.5)
    stop(server)
    raise BenchError("gunicorn did not answer within 60 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    log("gunicorn stopped")


def measure_pages(client: Client, targets: dict, args: argparse.Namespace) -> list[dict]:
    """Each page, then right after it the admin page doing the same, so both see the same
    state of the caches."""
    rows = []
    for page in pages(targets):
        row = {"name": page.name, "target_ms": page.target_ms}
        for side, url in (("app", page.url), ("admin", page.admin_url)):
            if url is None:
                continue
            result = measure(client, url, args.warmup, args.repeats, args.budget,
                             args.min_repeats, EMPTY_LIST)
            row[side] = result.as_dict()
            log(f"{side:5} {result.median_ms} / {result.p95_ms} ms, {result.queries} queries"
                f"{', ' + result.error if result.error else ''}: {page.name}")
        rows.append(row)
    return rows


if __name__ == "__main__":
    main()
