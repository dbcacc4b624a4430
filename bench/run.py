"""Benchmark the app as deployed: gunicorn on loopback, loaded from another process.

    python -m bench.run [--scale 1] [--database-url URL] [--duration 5] [--tool auto|wrk|python]

For each page of `bench.pages.PAGES` it reports requests per second and p50/p95/p99
latency under load (10 connections for a fixed time), and,
from single requests before the load, the SQL statements per request (X-SQL-Count)
and the median CPU time the app spent on it (X-CPU-Microseconds): the figure that
stays comparable when the machine is busy with other work. The minimal
route `/bench/ping` of the same app is measured first and last: its throughput is
the framework's own limit on this machine, and every page is reported as a ratio
to it, which makes figures from different machines comparable. Then the extra
measurements run (calendar feed, invitation import, mail delivery, registration
race and flow, and on PostgreSQL the 1,000-way registration burst against gunicorn as
deploy/gunicorn.conf.py runs it); each reports "not available yet" until its feature exists.

The table is printed and the run is stored in bench/results.json under its
database and scale, next to runs on other databases and scales.
"""

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import app.models as app_models
from app import create_app
from bench import feeds, invitation_import, load, mail_delivery, registration_burst, registration_load, report
from bench.client import Browser
from bench.context import BenchContext
from bench.dataset import BENCH_ADMIN_EMAIL, BENCH_PASSWORD, EVENTS_PER_SCALE
from bench.generate import default_database_url, generate
from bench.pages import MINIMAL_ROUTE, PAGES, Page, choose_sample, find_rule, path_for
from bench.server import Server
from config import BASE_DIR, DevelopmentConfig, normalise_database_url

RESULTS = BASE_DIR / "bench" / "results.json"
# Single requests per page whose app CPU time is read; the median is reported.
CPU_SAMPLES = 21

EXTRAS = {
    "calendar_feed": feeds.measure_feed,
    "invitation_import": invitation_import.measure_invitation_import,
    "mail_delivery": mail_delivery.measure_mail_delivery,
    "registration_race": registration_load.measure_registration_race,
    "registration_flow": registration_load.measure_registration_flow,
    # Last: it starts the deployed recipe's gunicorn of its own (PostgreSQL only).
    "registration_burst": registration_burst.measure_registration_burst,
}


def machine() -> dict:
    """What the figures were measured on; the load average says how busy it was."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gib": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def drain(result: load.Result) -> None:
    """Let the workers finish what the load generator left in flight when it stopped,
    so the next measurement does not queue behind it (about one latency's worth)."""
    seconds = result.p99_ms / 1000 if result.requests else result.seconds  # nothing finished: a whole run
    time.sleep(min(1.5 * seconds, 30))


def measure(
    server: Server, browser: Browser, name: str, path: str, args, *, method: str = "GET", form: dict | None = None
) -> dict:
    """One page: single requests for its status, SQL count and CPU time (which also warm
    the workers up), then the load.

    The load carries the browser's cookies, so it is the same visitor as the sample:
    anonymous for public pages, the bench admin for organiser pages.
    """
    body = urlencode(form) if form is not None else ""
    headers = dict(browser.cookie_header)
    if form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"

    def single(n: int):
        if not headers:
            browser.cookies.clear()  # a first-time visitor each time, as the load sends
        numbered = {key: value.replace("__N__", f"sample{n}") for key, value in form.items()} if form else None
        return browser.request(method, path, form=numbered)

    samples = [single(n) for n in range(CPU_SAMPLES)]
    sampled = samples[0]
    cpu = sorted(answer.cpu_microseconds or 0 for answer in samples)
    # The same page rendered afresh, as the first visitor after a change gets it.
    rendered = (
        [browser.request(method, path, headers={"X-Bench-Render": "1"}) for _ in range(CPU_SAMPLES)]
        if method == "GET"
        else samples
    )
    rendered_cpu = sorted(answer.cpu_microseconds or 0 for answer in rendered)
    spec = load.Load(
        server.base + path, method=method, headers=headers, body=body, connections=args.connections, seconds=args.warmup
    )
    if args.warmup:
        drain(load.run(spec, args.tool))
    spec.seconds = args.duration
    result = load.run(spec, args.tool)
    drain(result)
    row = {
        "name": name,
        "method": method,
        "path": path,
        "status": sampled.status,
        "sql": rendered[0].sql_count,
        "sql_kept": samples[-1].sql_count,
        "cpu_ms": round(cpu[len(cpu) // 2] / 1000, 2),
        "cpu_rendered_ms": round(rendered_cpu[len(rendered_cpu) // 2] / 1000, 2),
        **result.as_dict(),
    }
    errors = f", {result.errors} errors" if result.errors else ""
    print(
        f"  {name:<22} {result.rps:8.0f} req/s  p95 {result.p95_ms:6.1f} ms  SQL {row['sql']}"
        f" (kept {row['sql_kept']})  CPU {row['cpu_ms']:.2f} ms (rendered {row['cpu_rendered_ms']:.2f})"
        f"  (HTTP {sampled.status}{errors})",
        flush=True,
    )
    return row


def measure_page(server: Server, page: Page, app, sample, args, organiser: Browser) -> dict:
    path = path_for(app, page, sample)
    if path is None:
        print(f"  {page.name:<22} not available yet", flush=True)
        return {"name": page.name, "status": "not available yet", "routes": list(page.routes)}
    browser = organiser if page.login else Browser(server.base)
    form = None
    if page.form is not None:
        form_page = browser.get(path) if "GET" in find_rule(app, page).methods else None
        token = form_page.csrf_token() if form_page else None
        token = token or browser.get(f"/events/{sample.event_id}").csrf_token() or browser.get("/").csrf_token()
        form = {**page.form(sample), "csrf_token": token or ""}
    row = measure(server, browser, page.name, path, args, method=page.method, form=form)
    row["target_ratio"] = page.target_ratio
    if browser is not organiser:
        browser.close()
    return row


def run(args) -> dict:
    url = normalise_database_url(args.database_url)
    generate(url, args.scale, if_needed=True)
    os.environ["DATABASE_URL"] = url
    app = create_app(DevelopmentConfig)
    with app.app_context():
        sample = choose_sample()
    tool = load.available_tool(args.tool)
    args.tool = tool
    database = url.split(":", 1)[0].split("+")[0]
    print(
        f"Benchmark: {database}, scale {args.scale}, {args.workers} gunicorn workers, {tool}, "
        f"{args.connections} connections, {args.duration:g} s per page",
        flush=True,
    )
    started, machine_info = datetime.now(UTC), machine()
    with Server(url, workers=args.workers) as server:
        organiser = Browser(server.base)
        logged_in = organiser.log_in(BENCH_ADMIN_EMAIL, BENCH_PASSWORD)
        selected = [page for page in PAGES if not args.pages or page.name in args.pages]
        minimal_before = measure(server, Browser(server.base), "minimal route (before)", MINIMAL_ROUTE, args)
        pages = [measure_page(server, page, app, sample, args, organiser) for page in selected]
        minimal_after = measure(server, Browser(server.base), "minimal route (after)", MINIMAL_ROUTE, args)
        minimal_rps = (minimal_before["rps"] + minimal_after["rps"]) / 2
        with app.app_context():
            if hasattr(app_models, "Registration"):
                registration_load.remove_load_registrations()
        for row in pages:
            if "rps" in row:
                row["ratio"] = round(row["rps"] / minimal_rps, 3)
        extras = {}
        if not args.skip_extras:
            context = BenchContext(app=app, base=server.base, database_url=url, sample=sample, scale=args.scale)
            for name, measure_extra in EXTRAS.items():
                print(f"  {name} ...", flush=True)
                extras[name] = measure_extra(context)
        organiser.close()
    return {
        "measured_at": started.isoformat(timespec="seconds"),
        "seconds_taken": round((datetime.now(UTC) - started).total_seconds()),
        "database": database,
        "scale": args.scale,
        "events": EVENTS_PER_SCALE * args.scale,
        "machine": machine_info,
        "settings": {
            "workers": args.workers,
            "connections": args.connections,
            "seconds_per_page": args.duration,
            "warmup_seconds": args.warmup,
            "load_generator": tool,
            "logged_in_for_organiser_pages": logged_in,
        },
        "sample": {"event_id": sample.event_id, "region_code": sample.region_code},
        "minimal_route": {
            "path": MINIMAL_ROUTE,
            "rps": round(minimal_rps, 1),
            "before": minimal_before,
            "after": minimal_after,
        },
        "pages": pages,
        "extras": extras,
    }


def save(result: dict, path: Path = RESULTS) -> None:
    """Keep the latest run per database and scale side by side in one file."""
    stored = json.loads(path.read_text()) if path.exists() else {}
    runs = stored.get("runs", {})
    runs[f"{result['database']}-scale{result['scale']}"] = result
    path.write_text(json.dumps({"runs": dict(sorted(runs.items()))}, indent=2, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--database-url", help="default: $DATABASE_URL, else instance/bench-scale<N>.db")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of load per page")
    parser.add_argument(
        "--warmup",
        type=float,
        default=0.0,
        help="seconds of load before each measurement (the single requests that sample "
        "SQL and CPU already warm the workers up)",
    )
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--pages", nargs="*", help="only these pages, by name")
    parser.add_argument("--skip-extras", action="store_true", help="only the page table")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results.json")
    args = parser.parse_args(argv)
    args.database_url = args.database_url or os.environ.get("DATABASE_URL") or default_database_url(args.scale)
    result = run(args)
    print()
    print(report.render_run(result))
    if not args.no_save:
        save(result)
        print(f"\nSaved to {RESULTS.relative_to(BASE_DIR)}.")


if __name__ == "__main__":
    sys.exit(main())
