"""The fault test: the load of bench/load.py, shorter, against a PostgreSQL server of its own that
is stopped in the middle and started again. See bench/README.md, "Load and faults".

    .venv/bin/python bench/fault.py
    .venv/bin/python bench/fault.py --users 20 --duration 60 --down-at 20 --down-for 10

It never touches the shared server on port 5432: it makes a throwaway cluster (initdb, as the
`postgres` system user, trust authentication, on a free port of 127.0.0.1) in a temporary
directory, and stops and removes it at the end. The server is stopped with `pg_ctl stop -m
immediate`, as a crash or a pulled plug would stop it (no checkpoint; it recovers from its
write-ahead log when started again), or with --stop-mode fast (connections ended cleanly).
"""

from __future__ import annotations

import argparse
import datetime
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import (  # noqa: E402
    add_load_arguments, build, execute, load_environment, make_users,
)
from bench.run import DATA, RESULTS, free_port, log, run  # noqa: E402

DATABASE = "tracker_fault"
# After the restart the first requests may still fail (a worker's dead connection is found
# unusable only when a request uses it); later than this, an error means no recovery.
RECOVERY_GRACE_S = 10


class Cluster:
    """A PostgreSQL server of the test's own, run by the `postgres` system user."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.directory = Path(tempfile.mkdtemp(prefix="tracker-fault-"))
        shutil.chown(self.directory, "postgres", "postgres")
        self.data = self.directory / "data"
        self.bin = max(Path("/usr/lib/postgresql").glob("*/bin"))
        self.url = f"postgres://postgres@127.0.0.1:{port}"

    def pg(self, *command: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True,
                       cwd=self.directory, stdout=subprocess.DEVNULL)

    def create(self) -> None:
        log(f"initdb in {self.directory}")
        self.pg(str(self.bin / "initdb"), "--pgdata", str(self.data), "--auth", "trust",
                "--username", "postgres", "--no-sync")
        self.start()
        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")

    def start(self) -> None:
        self.pg(str(self.bin / "pg_ctl"), "start", "--pgdata", str(self.data), "--wait",
                "--log", str(self.directory / "server.log"), "--options",
                f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1")

    def stop(self, mode: str) -> None:
        self.pg(str(self.bin / "pg_ctl"), "stop", "--pgdata", str(self.data), "--wait",
                "--mode", mode)

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop("fast")
        shutil.rmtree(self.directory)
        log("throwaway cluster stopped and removed")


def outage(samples: list[dict], down: float, up: float, timeout: float) -> dict[str, Any]:
    """How the app answered before, while and after the database was down (`down` and `up` in
    seconds since the load started): before, the requests that ended before it stopped; while
    down, those under way at some point until it accepted connections again."""
    before = [s for s in samples if s["started"] + s["ms"] / 1000 < down]
    during = [s for s in samples if s["started"] + s["ms"] / 1000 >= down and s["started"] < up]
    after = [s for s in samples if s["started"] >= up]
    failed_during = [s for s in during if s["outcome"] == "error"]
    first_ok = min((s["started"] + s["ms"] / 1000 for s in after if s["outcome"] == "ok"),
                   default=None)
    late = [s for s in after if s["outcome"] == "error" and s["started"] >= up + RECOVERY_GRACE_S]
    return {
        "errors_before": dict(Counter(str(s["status"]) for s in before if s["outcome"] == "error")),
        "requests_while_down": len(during),
        "answers_while_down": dict(Counter(str(s["status"]) for s in during)),
        "server_errors_while_down_with_error_page": sum(s["error_page"] for s in failed_during),
        "server_errors_while_down": sum(s["status"] >= 500 for s in failed_during),
        "no_answer_while_down": sum(s["status"] == 0 for s in failed_during),
        "slowest_while_down_ms": max((s["ms"] for s in during), default=None),
        "client_timeout_ms": timeout * 1000,
        "errors_after_restart": dict(Counter(
            str(s["status"]) for s in after if s["outcome"] == "error")),
        "recovered_after_s": None if first_ok is None else round(first_ok - up, 1),
        "errors_later_than_grace": len(late),
        "recovered": first_ok is not None and not late,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recommendations", type=int, default=5_000)
    parser.add_argument("--assessments", type=int, default=20_000)
    parser.add_argument("--down-at", type=float, default=20, help="seconds into the load")
    parser.add_argument("--down-for", type=float, default=10, help="seconds the database is down")
    parser.add_argument("--stop-mode", choices=["immediate", "fast"], default="immediate")
    add_load_arguments(parser, users=20, duration=60)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    RESULTS.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(free_port())
    results: dict[str, Any] = {
        "database": "postgres (throwaway cluster)",
        "recommendations": args.recommendations,
        "assessments": args.assessments,
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        **{key: getattr(args, key) for key in (
            "users", "think", "workers", "timeout", "seed", "down_at", "down_for", "stop_mode")},
        "duration_s": args.duration,
    }
    try:
        cluster.create()
        env = load_environment(f"{cluster.url}/{DATABASE}")
        results["setup_s"] = build(env, args.recommendations, args.assessments, args.seed)
        run(["manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
        plan = make_users(env, args)
        # As a server running for a while would have: otherwise the restart would replay the
        # whole data generation from the write-ahead log, and time that rather than the outage.
        with psycopg.connect(f"{cluster.url}/{DATABASE}", autocommit=True) as connection:
            connection.execute("CHECKPOINT")

        def fault(events: dict[str, float]) -> None:
            time.sleep(args.down_at)
            events["stopping"] = time.monotonic()
            log(f"stopping PostgreSQL ({args.stop_mode})")
            cluster.stop(args.stop_mode)
            events["down"] = time.monotonic()
            time.sleep(args.down_for)
            events["starting"] = time.monotonic()
            log("starting PostgreSQL")
            cluster.start()
            events["up"] = time.monotonic()

        results.update(execute(env, plan, args, DATA / "fault-gunicorn.log", during=fault))
        events = results["events"]
        results["outage"] = outage(results.pop("samples"), events["stopping"], events["up"],
                                   args.timeout)
    finally:
        cluster.remove()
    path = RESULTS / "fault-postgres.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(report(results))
    log(f"results written to {path.relative_to(ROOT)}")


def report(results: dict[str, Any]) -> str:
    outage_ = results["outage"]
    lines = [
        f"PostgreSQL stopped ({results['stop_mode']}) at {results['events']['stopping']} s, "
        f"answering again at {results['events']['up']} s; {results['users']} users, "
        f"{results['duration_s']} s",
        f"while down: {outage_['requests_while_down']} requests, answers "
        f"{outage_['answers_while_down']}, {outage_['server_errors_while_down_with_error_page']} "
        f"of {outage_['server_errors_while_down']} server errors with the error page, slowest "
        f"{outage_['slowest_while_down_ms']} ms",
        f"after the restart: first success after {outage_['recovered_after_s']} s, errors "
        f"{outage_['errors_after_restart'] or 'none'}; recovered: {outage_['recovered']}",
        f"before: errors {outage_['errors_before'] or 'none'}",
    ]
    for kind, check in results["writes"].items():
        lines.append(
            f"{kind}: {check['acknowledged']} acknowledged of {check['attempted']} attempted, "
            f"missing {len(check['missing'])}, duplicated {len(check['duplicated'])}, saved "
            f"without acknowledgement {check['saved_without_acknowledgement']}")
    lines.append(f"server log: {results['server_log']}; load average before "
                 f"{results['load_before']}, after {results['load_after']}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
