"""Render benchmark results as Markdown tables, with the issue's targets beside them.

    python -m bench.report            # every run in bench/results.json

The runner prints the same table after a run; this renders the stored runs
again, e.g. for the README's "Performance" section.
"""

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).with_name("results.json")
P95_TARGET_MS = 50
SQL_TARGET = 8


def _cpu(row: dict) -> str:
    """CPU per request as served under load, and when the page is rendered afresh."""
    if row.get("cpu_ms") is None:
        return ""
    rendered = row.get("cpu_rendered_ms")
    return f"{row['cpu_ms']:.2f}" + (f" / {rendered:.2f}" if rendered is not None and row["method"] == "GET" else "")


def _sql(row: dict) -> str:
    kept = row.get("sql_kept")
    return f"{row['sql']}" + (f" / {kept}" if kept is not None and row.get("method") == "GET" else "")


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def _targets(row: dict) -> str:
    """Each of the issue's aims for a page, met (✓) or not (✗)."""
    ratio = row["target_ratio"]
    return " ".join(
        [
            f"{_mark(row['ratio'] >= ratio)} ≥{ratio:.2f}×",
            f"{_mark(row['requests'] > 0 and row['p95_ms'] < P95_TARGET_MS)} p95<{P95_TARGET_MS}",
            f"{_mark(row['sql'] is not None and row['sql'] <= SQL_TARGET)} SQL≤{SQL_TARGET}",
        ]
    )


def _problems(row: dict) -> str:
    """Say so when a page answered with an error, so its speed is not mistaken for success."""
    problems = []
    if row["status"] >= 400:
        problems.append(f"HTTP {row['status']}")
    if row["errors"]:
        problems.append(f"{row['errors']} errors")
    if not row["requests"]:
        problems.append("no answer within the run")
    return f" ({', '.join(problems)})" if problems else ""


def page_table(run: dict) -> list[str]:
    minimal = run["minimal_route"]
    lines = [
        "| page | req/s | × minimal | p50 ms | p95 ms | p99 ms | SQL/req rendered / kept | CPU ms/req kept / rendered "
        "| targets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for key in ("before", "after"):
        row = minimal[key]
        lines.append(
            f"| minimal route `{minimal['path']}` ({key}) | {row['rps']:,.0f} | 1.00 | {row['p50_ms']:.1f} "
            f"| {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {row['sql']} | {row['cpu_ms']:.2f} "
            "| framework limit |"
        )
    for row in run["pages"]:
        if "rps" not in row:
            lines.append(f"| {row['name']} | {row['status']} | | | | | | | |")
            continue
        note = _problems(row)
        lines.append(
            f"| {row['name']}{note} | {row['rps']:,.0f} | {row['ratio']:.2f} | {row['p50_ms']:.1f} "
            f"| {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {_sql(row)} | {_cpu(row)} | {_targets(row)} |"
        )
    return lines


BURST_WITHIN_S = 30


def burst_table(result: dict) -> list[str]:
    """The 1,000-way registration burst against the deployed recipe, with the issue's aims."""
    if result.get("status") != "measured":
        return [f"- registration_burst: {result.get('status')} ({result.get('reason', '')})"]
    busy = result["answers"].get("503", 0)
    return [
        f"Registration burst: {result['people']:,} people at once for the last {result['seats']} seats, "
        f"gunicorn as deploy/gunicorn.conf.py sets it ({result['workers']} workers × {result['threads']} "
        f"threads, {result['worker_class']}), production configuration:",
        "",
        "| people | seats | confirmed | waitlisted | errors (of which busy) | overbooked | p50 s | p99 s | max s "
        "| targets |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| {result['people']:,} | {result['seats']} | {result['confirmed']} | {result['waitlisted']} "
        f"| {result['errors']} ({busy}) | {result['overbooked']} | {result['p50_s']:.1f} | {result['p99_s']:.1f} "
        f"| {result['max_s']:.1f} | {_mark(result['errors'] == 0)} 0 errors "
        f"{_mark(result['overbooked'] == 0)} 0 overbooked "
        f"{_mark(result['max_s'] < BURST_WITHIN_S)} every answer < {BURST_WITHIN_S} s |",
    ]


def _extra_line(name: str, result: dict) -> str:
    if name == "registration_burst":
        return "\n".join(["", *burst_table(result)]) if result.get("status") == "measured" else burst_table(result)[0]
    if result.get("status") != "measured":
        return f"- {name}: {result.get('status')} ({result.get('reason', '')})"
    details = {key: value for key, value in result.items() if key != "status"}
    if name == "mail_delivery":
        runs = "; ".join(
            f"{r['workers']} worker(s): {r['messages_per_second']} msg/s ({r['per_worker']} per worker), "
            f"{r['received']} received, {r['duplicates']} duplicates"
            + (f", {r['cpu_ms_per_message']} ms CPU per message" if r.get("cpu_ms_per_message") else "")
            for r in result["runs"]
        )
        return f"- {name} ({result['messages']} messages): {runs} (target ≥ 200 msg/s per worker)"
    targets = {
        "calendar_feed": "target: 10,000-event feed < 1000 ms, repeat answered 304",
        "invitation_import": "target: 10,000 rows < 5 s",
        "registration_flow": "target: < 40 ms",
        "registration_race": "target: confirmed = capacity, errors = 0",
    }
    text = ", ".join(f"{key} {value}" for key, value in details.items())
    return f"- {name}: {text}" + (f" ({targets[name]})" if name in targets else "")


def render_run(run: dict) -> str:
    m, s = run["machine"], run["settings"]
    header = (
        f"### {run['database']}, scale {run['scale']} ({run['events']:,} events)\n\n"
        f"Measured {run['measured_at']} on {m['nproc']} × {m['cpu']}, {m['ram_gib']} GiB RAM, Python {m['python']} "
        f"(load average at start {', '.join(map(str, m['load_average_at_start']))}); {s['workers']} gunicorn workers, "
        f"{s['load_generator']} with {s['connections']} connections, {s['seconds_per_page']:g} s per page"
        + (f" after {s['warmup_seconds']:g} s warm-up" if s["warmup_seconds"] else "")
        + ".\n"
    )
    extras = [_extra_line(name, result) for name, result in run.get("extras", {}).items()]
    return "\n".join([header, *page_table(run), "", *extras])


def main() -> None:
    runs = json.loads(RESULTS.read_text())["runs"] if RESULTS.exists() else {}
    if not runs:
        sys.exit("No results yet: run `make bench` first.")
    print("\n\n".join(render_run(run) for run in runs.values()))


if __name__ == "__main__":
    main()
