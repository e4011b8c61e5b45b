"""The benchmark's results as Markdown tables, each page checked against the targets of issue 7."""

from __future__ import annotations

import statistics
from typing import Any

MAX_QUERIES = 15
EXPORT_TARGETS = {"csv": (10, 300), "xlsx": (30, None)}  # seconds, peak MB of the worker


def misses(row: dict[str, Any]) -> list[str]:
    app, admin = row.get("app", {}), row.get("admin")
    if app.get("error") or app.get("p95_ms") is None:
        return [f"error: {app.get('error', 'not measured')}"]
    found = []
    if app["p95_ms"] >= row["target_ms"]:
        found.append(f"p95 ≥ {row['target_ms']} ms")
    if max(app["queries"]) > MAX_QUERIES:
        found.append(f"> {MAX_QUERIES} queries")
    if admin and admin.get("median_ms") and app["median_ms"] > admin["median_ms"]:
        found.append("slower than the admin")
    if admin and admin.get("error"):
        found.append(f"admin error: {admin['error']}")
    return found


def ratio(row: dict[str, Any]) -> str:
    app, admin = row.get("app", {}), row.get("admin")
    if not admin or not admin.get("median_ms") or not app.get("median_ms"):
        return ""
    return f"{app['median_ms'] / admin['median_ms']:.2f}"


def cells(side: dict[str, Any] | None, cpu: bool = False) -> list[str]:
    if not side or side.get("median_ms") is None:
        return [""] * (4 if cpu else 3)
    queries = "–".join(str(count) for count in (side["queries"][0], side["queries"][-1]))
    if side["queries"][0] == side["queries"][-1]:
        queries = str(side["queries"][0])
    times = [f"{side['median_ms']:.0f}", f"{side['p95_ms']:.0f}"]
    if cpu:
        times.append(f"{side['cpu_median_ms']:.0f}")
    return [*times, queries]


def markdown(results: dict[str, Any]) -> str:
    lines = [
        f"### {results['database']}, {results['recommendations']:,} recommendations, "
        f"{results['assessments']:,} assessments",
        "",
        f"Server time in ms (median, p95, and the median of the worker's own CPU time); the "
        f"ratio is the app's median over the admin's. "
        f"Load average before and after: {results['load_before'][0]:.1f}, "
        f"{results['load_after'][0]:.1f} (on {results['machine']['cores']} cores).",
        "",
        "| page | median | p95 | cpu | queries | admin median | admin p95 | admin queries "
        "| app / admin | misses |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in results["pages"]:
        empty = " (no rows)" if row.get("app", {}).get("empty") else ""
        lines.append("| " + " | ".join([
            row["name"] + empty, *cells(row.get("app"), cpu=True), *cells(row.get("admin")),
            ratio(row),
            ", ".join(misses(row)),
        ]) + " |")
    lines += [
        "",
        f"Exports of {results['values']['export_rows']:,} rows (time to the last byte, peak "
        "resident memory of the gunicorn worker):",
        "",
        "| export | median s | peak MB | misses |",
        "| --- | ---: | ---: | --- |",
    ]
    for extension, export in results["exports"].items():
        seconds, megabytes = EXPORT_TARGETS[extension]
        found = []
        if max(run["seconds"] for run in export["runs"]) >= seconds:
            found.append(f"≥ {seconds} s")
        if megabytes and export["max_peak_rss_mb"] >= megabytes:
            found.append(f"≥ {megabytes} MB")
        lines.append(f"| {extension.upper()} | {export['median_seconds']:.1f} | "
                     f"{export['max_peak_rss_mb']:.0f} | {', '.join(found)} |")
    imported = results["import"]
    if "error" in imported:
        lines += ["", f"Import of the seed replies: {imported['error']}."]
    else:
        lines += [
            "",
            f"Import of the seed replies (in process): median "
            f"{statistics.median(imported['seconds']):.2f} s over {len(imported['seconds'])} "
            f"runs, {max(imported['queries'])} queries.",
        ]
    return "\n".join(lines)
