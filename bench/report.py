"""Render benchmark results as Markdown tables, with issue 17's targets beside them.

    python -m bench.report            # every run in bench/results.json

The runner prints the same tables after a run; this renders the stored runs again,
e.g. for the README's "Performance" section: first the targets side by side for every
run, then each run's page table and its other measurements.

Which figures are ratios and which are absolute: "× bare" compares a page with the
bare Flask + Jinja page measured in the same run on the same machine (requests per
second, and the same for server CPU per request), so it carries over to other machines;
latencies, CPU milliseconds and the registration timings are absolute, for this
machine; statement counts are counts.
"""

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).with_name("results.json")
BARE_RATIO_TARGET = 0.6
P99_TARGET_MS = 20
RENDER_CPU_TARGET_MS = 3
RENDER_SQL_TARGET = 6
FLOW_TARGET_MS = 24
BURST_WITHIN_S = 15


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def _measured(row: dict) -> bool:
    return "rps" in row


def cached_rows(run: dict) -> list[dict]:
    return [row for row in run["pages"] if row.get("cached") and _measured(row)]


def rendering_row(run: dict) -> dict | None:
    return next((row for row in run["pages"] if row.get("rendering") and _measured(row)), None)


def _row_targets(row: dict) -> str:
    """Issue 17's aims for a row, met (✓) or not (✗)."""
    if row.get("rendering"):
        cpu = row.get("server_cpu_ms")
        return (
            f"{_mark(cpu is not None and cpu < RENDER_CPU_TARGET_MS)} CPU<{RENDER_CPU_TARGET_MS} ms "
            f"{_mark(row['sql'] is not None and row['sql'] <= RENDER_SQL_TARGET)} SQL≤{RENDER_SQL_TARGET}"
        )
    if row.get("cached"):
        return (
            f"{_mark(row['ratio'] >= BARE_RATIO_TARGET)} ≥{BARE_RATIO_TARGET}× "
            f"{_mark(row['requests'] > 0 and row['p99_ms'] < P99_TARGET_MS)} p99<{P99_TARGET_MS}"
        )
    return ""


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


def _num(value, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _sql(row: dict) -> str:
    if row.get("method") == "GET" and row.get("sql") != row.get("sql_kept") and not row.get("rendering"):
        return f"{row['sql']} / {row['sql_kept']}"
    return f"{row['sql']}"


def _p99(row: dict) -> str:
    """wrk's p99, and any it gave first that could not be true (bench/load.py: impossible_tail)."""
    discarded = row.get("discarded_p99_ms")
    again = f" (measured again after {', '.join(f'{ms:.1f}' for ms in discarded)})" if discarded else ""
    still = " (impossible)" if row.get("p99_impossible") else ""
    return f"{row['p99_ms']:.1f}{still}{again}"


def _line(name: str, row: dict, *, ratio: str, cpu_ratio: str, targets: str) -> str:
    return (
        f"| {name}{_problems(row)} | {row['rps']:,.0f} | {ratio} | {cpu_ratio} | {row['p50_ms']:.1f} "
        f"| {_p99(row)} | {_num(row.get('app_p99_ms'), 0)} | {_num(row.get('server_cpu_ms'))} | {_sql(row)} "
        f"| {_num(row.get('cpu_rendered_ms'))} | {row['bytes'] / 1000:.1f} | {_kb(row.get('sent_bytes'))} "
        f"| {_busy(row)} "
        f"| {row['load_average']:.1f} | {targets} |"
    )


def _asking(settings: dict) -> str:
    """How the load asked: runs before the setting was stored asked without Accept-Encoding."""
    asked = settings.get("accept_encoding")
    if asked:
        return f", asking with Accept-Encoding: {asked} (the bare page answers uncompressed all the same)"
    return ", asking without Accept-Encoding (every answer uncompressed)"


def _kb(value: int | None) -> str:
    return "–" if value is None else f"{value / 1000:.1f}"


def _busy(row: dict) -> str:
    return f"{row['busy_workers']}/{row['workers']}" if row.get("workers") else "–"


PAGE_COLUMNS = (
    "page",
    "req/s",
    "× bare req/s",
    "× bare CPU",
    "p50 ms",
    "p99 ms",
    "p99 ms in the app",
    "server CPU ms/req",
    "SQL/req rendered / kept",
    "app CPU ms rendered",
    "kB",
    "kB sent",
    "workers busy",
    "load avg",
    "targets",
)


def page_table(run: dict) -> list[str]:
    bare = run["bare"]
    numbers = len(PAGE_COLUMNS) - 2  # between the page's name and its targets
    lines = [
        "| " + " | ".join(PAGE_COLUMNS) + " |",
        "| --- | " + "---: | " * numbers + "--- |",
    ]
    for key in ("before", "after"):
        row = bare[key]
        lines.append(
            _line(
                f"bare Flask + Jinja page ({key})",
                {**row, "sql": "–", "sql_kept": "–", "cpu_rendered_ms": None},
                ratio="1.00",
                cpu_ratio="1.00",
                targets="reference",
            )
        )
    rows = [run["ping"], *run["pages"]] if run.get("ping") else run["pages"]
    for row in rows:
        if not _measured(row):
            lines.append(f"| {row['name']} | {row['status']} |" + " |" * (len(PAGE_COLUMNS) - 2))
            continue
        lines.append(
            _line(
                row["name"],
                row,
                ratio=f"{row['ratio']:.2f}",
                cpu_ratio=_num(row.get("cpu_ratio")),
                targets=_row_targets(row),
            )
        )
    return lines


def _span(values: list[float], digits: int = 2, unit: str = "") -> str:
    low, high = min(values), max(values)
    return (
        f"{low:.{digits}f}{unit}"
        if round(low, digits) == round(high, digits)
        else f"{low:.{digits}f}–{high:.{digits}f}{unit}"
    )


def summary(run: dict) -> list[tuple[str, str, bool | None]]:
    """(target, what was measured, met?) for each of issue 17's targets in one run."""
    items: list[tuple[str, str, bool | None]] = []
    cached = cached_rows(run)
    if cached:
        low = [row for row in cached if row["ratio"] < BARE_RATIO_TARGET]
        cpu_ratios = [row["cpu_ratio"] for row in cached if row.get("cpu_ratio")]
        text = f"{_span([row['ratio'] for row in cached])}× of {run['bare']['rps']:,.0f} req/s"
        if low:
            text += f"; below: {', '.join(row['name'] for row in low)}"
        if cpu_ratios:
            text += f" (by CPU: {_span(cpu_ratios)}×)"
        items.append(("cached public pages ≥ 0.6× the bare page's req/s (ratio)", text, not low))
        slow = [row for row in cached if row["p99_ms"] >= P99_TARGET_MS]
        text = f"p99 {_span([row['p99_ms'] for row in cached], 1)} ms"
        if slow:
            text += f"; {len(slow)} of {len(cached)} pages at {P99_TARGET_MS} ms or more"
        in_app = [row["app_p99_ms"] for row in cached if row.get("app_p99_ms") is not None]
        if in_app:
            text += f" (in the app: {_span(in_app, 0)} ms)"
        items.append(("cached public pages p99 < 20 ms (absolute)", text, not slow))
    render = rendering_row(run)
    if render:
        cpu = render.get("server_cpu_ms")
        items.append(
            (
                "event page, 16-item agenda, rendered: server CPU < 3 ms (absolute)",
                f"{_num(cpu)} ms per page ({render['rps']:,.0f} req/s)",
                cpu is not None and cpu < RENDER_CPU_TARGET_MS,
            )
        )
        items.append(
            (
                "… its SQL statements ≤ 6 (count; constant across scales: see the runs side by side)",
                f"{render['sql']}",
                render["sql"] is not None and render["sql"] <= RENDER_SQL_TARGET,
            )
        )
    extras = run.get("extras", {})
    flow = extras.get("registration_flow", {})
    if flow.get("status") == "measured":
        items.append(
            (
                "a whole registration (4 requests) median ≤ 24 ms (absolute)",
                f"{flow['median_ms']:.1f} ms (p95 {flow['p95_ms']:.1f}); server CPU "
                f"{_num(flow.get('server_cpu_ms_per_flow'), 1)} ms, {flow['sql_per_flow']} statements",
                flow["median_ms"] <= FLOW_TARGET_MS,
            )
        )
    elif flow:
        items.append(("a whole registration (4 requests) median ≤ 24 ms (absolute)", _not_measured(flow), False))
    lock = extras.get("lock_hold", {})
    if lock.get("status") == "measured":
        items.append(
            (
                "the event's lock held for the seat decision only (measured, absolute)",
                f"held {lock['hold_ms_median']:.1f} ms median (p95 {lock['hold_ms_p95']:.1f}), of which "
                f"COMMIT {lock['commit_ms_median']:.1f}; {lock['statements_while_held']} statements "
                f"({', '.join(lock['held_for'])}); {lock['hold_share_of_post']:.0%} of the POST's "
                f"{lock['post_ms_median']:.1f} ms",
                None,
            )
        )
    elif lock:
        items.append(("the event's lock held for the seat decision only", _not_measured(lock), None))
    shared = extras.get("shared_renders", {})
    target = "after a change, the page rendered once for all workers (count; Redis)"
    if shared.get("status") == "measured":
        items.append(
            (
                target,
                f"rendered {', '.join(map(str, shared['renders_per_change']))} times after each of "
                f"{shared['changes']} changes, {shared['requests_per_change']} visitors answered by "
                f"{_span(shared['workers_answering'], 0)} workers"
                + ("" if shared["redis"] else " (no Redis: each worker renders its own)"),
                shared["redis"] and max(shared["renders_per_change"]) == 1,
            )
        )
    elif shared:
        items.append((target, _not_measured(shared), None))
    burst = extras.get("registration_burst", {})
    if burst.get("status") == "measured":
        ok = burst["errors"] == 0 and burst["overbooked"] == 0 and burst["max_s"] < BURST_WITHIN_S
        items.append(
            (
                "1,000-way registration burst < 15 s, 0 errors (absolute)",
                f"{burst['max_s']:.2f} s, {burst['errors']} errors, {burst['overbooked']} overbooked",
                ok,
            )
        )
    elif burst:
        items.append(("1,000-way registration burst < 15 s, 0 errors (absolute)", _not_measured(burst), None))
    return items


def _not_measured(result: dict) -> str:
    return f"{result.get('status')} ({result.get('reason', '')})"


def _cell(measured: str, ok: bool | None) -> str:
    return measured if ok is None else f"{_mark(ok)} {measured}"


def run_title(run: dict) -> str:
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    return f"{names.get(run['database'], run['database'])}, scale {run['scale']}"


def summary_table(runs: list[dict]) -> list[str]:
    """Issue 17's targets, one column per run."""
    per_run = [{target: (text, ok) for target, text, ok in summary(run)} for run in runs]
    targets = list(dict.fromkeys(target for items in per_run for target in items))
    lines = ["| target | " + " | ".join(run_title(run) for run in runs) + " |", "| --- |" + " --- |" * len(runs)]
    for target in targets:
        cells = [_cell(*items[target]) if target in items else "–" for items in per_run]
        lines.append(f"| {target} | " + " | ".join(cells) + " |")
    counts = {run_title(run): rendering_row(run)["sql"] for run in runs if rendering_row(run)}
    if len(counts) > 1:
        same = len(set(counts.values())) == 1
        lines.append(
            f"| the rendered 16-item event page's statements the same at every scale | "
            f"{_mark(same)} "
            + ", ".join(f"{count} ({title})" for title, count in counts.items())
            + " |"
            + " |" * (len(runs) - 1)
        )
    return lines


def burst_table(result: dict) -> list[str]:
    """The 1,000-way registration burst against the deployed recipe, with the issues' aims."""
    if result.get("status") != "measured":
        return [f"- registration_burst: {_not_measured(result)}"]
    busy = result["answers"].get("503", 0)
    return [
        f"Registration burst: {result['people']:,} people at once for the last {result['seats']} seats, "
        f"gunicorn as deploy/gunicorn.conf.py sets it ({result['workers']} workers × {result['threads']} "
        f"threads, {result['worker_class']}), production configuration, wsgi:app"
        f"{', Redis' if result.get('redis') else ''}:",
        "",
        "| people | seats | confirmed | waitlisted | errors (of which busy) | overbooked | p50 s | p99 s | max s "
        "| targets |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| {result['people']:,} | {result['seats']} | {result['confirmed']} | {result['waitlisted']} "
        f"| {result['errors']} ({busy}) | {result['overbooked']} | {result['p50_s']:.1f} | {result['p99_s']:.1f} "
        f"| {result['max_s']:.1f} | {_mark(result['errors'] == 0)} 0 errors "
        f"{_mark(result['overbooked'] == 0)} 0 overbooked "
        f"{_mark(result['max_s'] < BURST_WITHIN_S)} all answered < {BURST_WITHIN_S} s |",
    ]


def _extra_line(name: str, result: dict) -> str:
    if name == "registration_burst":
        return "\n".join(["", *burst_table(result)]) if result.get("status") == "measured" else burst_table(result)[0]
    if result.get("status") != "measured":
        return f"- {name}: {_not_measured(result)}"
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
        "registration_flow": f"target: median ≤ {FLOW_TARGET_MS} ms",
        "shared_renders": "target: one rendering per change for all workers",
        "registration_race": "target: confirmed = capacity, errors = 0",
    }
    text = ", ".join(f"{key} {value}" for key, value in details.items())
    return f"- {name}: {text}" + (f" ({targets[name]})" if name in targets else "")


def render_run(run: dict) -> str:
    if "bare" not in run:
        return f"### {run_title(run)}\n\n(stored by an older bench/run.py; run `make bench` again)\n"
    m, s = run["machine"], run["settings"]
    g = s["gunicorn"]
    header = (
        f"### {run_title(run)} ({run['events']:,} events)\n\n"
        f"Measured {run['measured_at']} on {m['nproc']} × {m['cpu']}, {m['ram_gib']} GiB RAM, Python {m['python']}; "
        f"load average (1, 5, 15 min) {', '.join(map(str, m['load_average_at_start']))} at the start, "
        f"{', '.join(map(str, m['load_average_after_pages']))} after the pages, "
        f"{', '.join(map(str, m['load_average_at_end']))} at the end; "
        f"the bare page in-process costs {m.get('bare_page_in_process_cpu_ms', '?')} ms of CPU on this machine. "
        f"gunicorn -c deploy/gunicorn.conf.py: {g['workers']} {g['worker_class']} workers × {g['threads']} threads, "
        f"max_requests {g['max_requests']}, "
        + ("a socket per worker (reuse_port), " if g.get("reuse_port") else "")
        + f"{g['logger_class']} writing the access log to a file; production "
        f"configuration{', Redis' if s['redis'] else ', no Redis'}; {s['load_generator']} with {s['connections']} "
        f"connections, {s['seconds_per_page']:g} s per page"
        + (f" after {s['warmup_seconds']:g} s warm-up" if s["warmup_seconds"] else "")
        + _asking(s)
        + ".\n"
    )
    extras = [_extra_line(name, result) for name, result in run.get("extras", {}).items()]
    return "\n".join([header, "Targets:", "", *summary_table([run]), "", *page_table(run), "", *extras])


def main() -> None:
    runs = json.loads(RESULTS.read_text())["runs"] if RESULTS.exists() else {}
    if not runs:
        sys.exit("No results yet: run `make bench` first.")
    current = [run for run in runs.values() if "bare" in run]
    if len(current) > 1:
        print("\n".join(summary_table(current)))
        print()
    print("\n\n".join(render_run(run) for run in runs.values()))


if __name__ == "__main__":
    main()
