"""Benchmark the app as deployed: gunicorn on loopback, loaded from another process.

    python -m bench.run [--scale 1] [--database-url URL] [--duration 5] [--tool auto|wrk|python]

Three servers run side by side, each exactly as deploy/ runs the app (bench/server.py:
`gunicorn -c deploy/gunicorn.conf.py`, the production configuration, Redis when
redis-server is installed):

- the reference: a bare Flask + Jinja page of about the same size (bench/bare_app.py),
  measured first and last; the app's cached public pages are reported as a ratio of
  its requests per second (issue 17 aims at 0.6× or more);
- the app (bench/wsgi_bench.py: wsgi:app plus the X-SQL-Count and X-CPU-Microseconds
  headers and /bench/ping), with its page cache as deployed;
- the same app with PAGE_CACHE_SECONDS=0, which renders every page: what the first
  visitor after a change pays.

For each page of `bench.pages.PAGES`: single requests first (status, size, SQL
statements per request from X-SQL-Count, rendered and kept), then load for a fixed time
(wrk, 10 connections, asking as browsers and calendar programs do, `Accept-Encoding:
gzip`): requests per second, the kB each answer sent, p50/p95/p99 latency, the p99 inside the app
(from the access log) and the server's CPU per request (the gunicorn workers' utime +
stime from /proc before and after the load, over the requests answered), the figure that
stays comparable when the machine is busy with other work. The event page of a 16-item
agenda (bench/agenda_event.py) is measured kept and rendered each time. Then the extra
measurements run (calendar feed, invitation import, mail delivery, registration race and
the whole registration flow against these servers; the event lock's hold time
in-process, bench/lock_hold.py; and on PostgreSQL the 1,000-way registration burst
against its own gunicorn), each reporting "not available yet" until its feature exists.

The table is printed and the run is stored in bench/results.json under its
database and scale, next to runs on other databases and scales.
"""

import argparse
import json
import os
import platform
import sys
import time
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import app.models as app_models
from app import create_app
from bench import (
    feeds,
    invitation_import,
    load,
    lock_hold,
    mail_delivery,
    registration_burst,
    registration_load,
    report,
    shared_pages,
)
from bench.agenda_event import ITEMS as AGENDA_ITEMS
from bench.agenda_event import make_agenda_event
from bench.bare_app import ITEMS as BARE_ITEMS
from bench.client import Browser, visitor_address
from bench.context import BenchContext, remove_event
from bench.dataset import BENCH_ADMIN_EMAIL, BENCH_PASSWORD, EVENTS_PER_SCALE
from bench.generate import default_database_url, generate
from bench.pages import MINIMAL_ROUTE, PAGES, Page, choose_sample, find_rule, path_for
from bench.server import Redis, Server
from config import BASE_DIR, DevelopmentConfig, normalise_database_url

RESULTS = BASE_DIR / "bench" / "results.json"
# Single requests per page whose SQL count and app CPU time are read; the median is reported.
CPU_SAMPLES = 21
BARE_PATH = "/events/1"

# Against the running servers.
EXTRAS = {
    "calendar_feed": feeds.measure_feed,
    "invitation_import": invitation_import.measure_invitation_import,
    "mail_delivery": mail_delivery.measure_mail_delivery,
    "registration_race": registration_load.measure_registration_race,
    "registration_flow": registration_load.measure_registration_flow,
    "shared_renders": shared_pages.measure_shared_renders,
}
# After they stop: in this process, and against a gunicorn of its own (PostgreSQL only).
LATE_EXTRAS = {
    "lock_hold": lock_hold.measure_lock_hold,
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
        "load_average_at_start": load_average(),
        "bare_page_in_process_cpu_ms": calibration(),
    }


def calibration(repeats: int = 300) -> float:
    """CPU ms of one bare Flask + Jinja page through Flask's test client in this process: how
    fast this machine's cores run Python, to compare absolute CPU figures between machines."""
    from bench.bare_app import app as bare_app

    client = bare_app.test_client()
    for _ in range(20):
        client.get(BARE_PATH)
    started = time.process_time()
    for _ in range(repeats):
        client.get(BARE_PATH)
    return round((time.process_time() - started) * 1000 / repeats, 3)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def drain(result: load.Result) -> None:
    """Let the workers finish what the load generator left in flight when it stopped,
    so the next measurement does not queue behind it (about one latency's worth)."""
    seconds = result.p99_ms / 1000 if result.requests else result.seconds  # nothing finished: a whole run
    time.sleep(min(1.5 * seconds, 30) + 0.05)


def app_latencies(access_log: Path, start: int) -> list[float]:
    """The seconds each request took inside a worker (from its parsed request to the last byte
    written), from the access log's lines after byte `start`: the load's own requests. Beside
    the load generator's latencies it tells a tail in the app from one before or after it
    (a worker's main thread handing the connection on, the load generator's own thread)."""
    with access_log.open("rb") as log:
        log.seek(start)
        lines = log.read().decode(errors="replace").splitlines()
    fields = (line.rsplit(" ", 2) for line in lines)
    return sorted(int(field[1][:-2]) / 1000 for field in fields if len(field) == 3 and field[1].endswith("ms"))


def _median(values: list[int | None]) -> float | None:
    known = sorted(value for value in values if value is not None)
    return known[len(known) // 2] if known else None


# What every browser and calendar program sends: kept pages go out compressed to them.
LOAD_HEADERS = {"Accept-Encoding": "gzip, deflate, br"}


def measure(
    server: Server,
    browser: Browser,
    name: str,
    path: str,
    args,
    *,
    method: str = "GET",
    form: dict | None = None,
    renderer: Server | None = None,
    headers: dict | None = None,
) -> dict:
    """One page: single requests for its status, size, SQL count and CPU time (which also
    warm the workers up), the same from `renderer` (the server that renders every page)
    when given, then the load with the server's CPU time read before and after.

    The load carries the browser's cookies and address, so it is the same visitor as the
    samples: anonymous for public pages, the bench admin for organiser pages. Each POST
    comes from an address of its own, as from many visitors (rate limits are on).
    """
    body = urlencode(form) if form is not None else ""
    asks = {} if args.no_gzip else LOAD_HEADERS
    load_headers = {**asks, **browser.proxy, **browser.cookie_header, **(headers or {})}
    if method == "POST":
        load_headers.update(
            {
                "Origin": browser.origin,
                "Referer": f"{browser.origin}{path}",
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-For": "__IP__",
            }
        )

    def single(target: Browser, n: int):
        if not browser.cookies:
            target.cookies.clear()  # a first-time visitor each time, as the load sends
        if form is None:
            return target.request(method, path, headers=headers)
        numbered = {key: value.replace("__N__", f"sample{n}") for key, value in form.items()}
        return target.request(method, path, form=numbered, headers={"X-Forwarded-For": visitor_address()})

    samples = [single(browser, n) for n in range(CPU_SAMPLES)]
    sampled = samples[0]
    rendered = []
    if renderer is not None and method == "GET":
        fresh = Browser(renderer.base, address=browser.address)
        rendered = [single(fresh, n) for n in range(CPU_SAMPLES)]
        fresh.close()
    spec = load.Load(
        server.base + path,
        method=method,
        headers=load_headers,
        body=body,
        connections=args.connections,
        seconds=args.warmup,
    )
    if args.warmup:
        drain(load.run(spec, args.tool))
    spec.seconds = args.duration
    discarded = []  # wrk's p99 of runs whose tail cannot be true: each is measured again, twice at most
    while True:
        load_before = os.getloadavg()[0]
        cpu_before, workers_before = server.cpu_seconds()
        by_worker = server.cpu_by_worker()
        log_from = server.access_log.stat().st_size
        result = load.run(spec, args.tool)
        drain(result)
        in_app = app_latencies(server.access_log, log_from)
        cpu_after, workers_after = server.cpu_seconds()
        impossible = load.impossible_tail(result, spec.connections)
        if len(discarded) == 2 or not impossible:
            break
        discarded.append(round(result.p99_ms, 1))
        print(f"  {name:<40} wrk's p99 {result.p99_ms:.1f} ms cannot be true (Little's law): again", flush=True)
    # How the load spread over the workers: gthread workers take keep-alive connections
    # greedily, so a few of them may serve all (as behind nginx's upstream keepalive).
    spread = sorted((used - by_worker.get(pid, 0.0) for pid, used in server.cpu_by_worker().items()), reverse=True)
    busy = sum(1 for used in spread if used > 0.1 * max(sum(spread), 1e-9))
    server_cpu = None
    if result.requests and workers_before == workers_after:  # a worker replaced meanwhile took its time along
        server_cpu = round((cpu_after - cpu_before) * 1000 / result.requests, 3)
    row = {
        "name": name,
        "method": method,
        "path": path,
        "status": sampled.status,
        "bytes": len(sampled.body.encode()),
        "sent_bytes": round(result.received_bytes / result.requests) if result.requests else None,
        "sql_kept": _median([answer.sql_count for answer in samples]),
        "sql": _median([answer.sql_count for answer in rendered or samples]),
        "cpu_ms": round((_median([a.cpu_microseconds for a in samples]) or 0) / 1000, 2),
        "cpu_rendered_ms": round((_median([a.cpu_microseconds for a in rendered or samples]) or 0) / 1000, 2),
        "server_cpu_ms": server_cpu,
        "busy_workers": busy,
        "workers": len(spread),
        "worker_cpu_seconds": [round(used, 2) for used in spread],
        "load_average": round(load_before, 2),
        **result.as_dict(),
        "app_p99_ms": load.percentile(in_app, 99) if in_app else None,
        "discarded_p99_ms": discarded,
        "p99_impossible": impossible,  # still, after two more runs
    }
    errors = f", {result.errors} errors" if result.errors else ""
    cpu = f"{server_cpu:.2f}" if server_cpu is not None else "?"
    sql = "" if row["sql"] is None else f"  SQL {row['sql']} (kept {row['sql_kept']})"
    in_app_p99 = f" ({row['app_p99_ms']:.0f} in the app)" if row["app_p99_ms"] is not None else ""
    sent = f" ({row['sent_bytes'] / 1000:.1f} sent)" if row["sent_bytes"] is not None else ""
    print(
        f"  {name:<40} {result.rps:7.0f} req/s  p99 {result.p99_ms:6.1f} ms{in_app_p99}  server CPU {cpu} ms/req{sql}"
        f"  {row['bytes'] / 1000:.1f} kB{sent}  {busy}/{len(spread)} workers busy  (HTTP {sampled.status}"
        f"{errors}; load {load_before:.1f})",
        flush=True,
    )
    return row


def measure_page(
    server: Server, renderer: Server, page: Page, app, sample, args, organiser: Browser, name: str | None = None
) -> dict:
    name = name or page.name
    path = path_for(app, page, sample)
    if path is None:
        print(f"  {name:<40} not available yet", flush=True)
        return {"name": name, "status": "not available yet", "routes": list(page.routes)}
    browser = organiser if page.login else Browser(server.base)
    form = None
    if page.form is not None:
        form_page = browser.get(path) if "GET" in find_rule(app, page).methods else None
        token = form_page.csrf_token() if form_page else None
        token = token or browser.get(f"/events/{sample.event_id}").csrf_token() or browser.get("/").csrf_token()
        form = {**page.form(sample), "csrf_token": token or ""}
    row = measure(
        server, browser, name, path, args, method=page.method, form=form, renderer=None if page.login else renderer
    )
    row["cached"] = page.cached
    if browser is not organiser:
        browser.close()
    return row


def measure_rendering(renderer: Server, event_id: int, args) -> dict:
    """The 16-item event page under load on the server that renders every page."""
    browser = Browser(renderer.base)
    row = measure(renderer, browser, "event page, 16-item agenda, rendered each time", f"/events/{event_id}", args)
    browser.close()
    row.update(rendering=True, cached=False)
    return row


def redis_for(choice: str, stack: ExitStack) -> str | None:
    """REDIS_URL for the servers: a private redis-server (auto, when installed), none, or a URL."""
    if choice == "none" or (choice == "auto" and not Redis.available()):
        return None
    if choice == "auto":
        return stack.enter_context(Redis()).url
    return choice


def run(args) -> dict:
    url = normalise_database_url(args.database_url)
    generate(url, args.scale, if_needed=True)
    os.environ["DATABASE_URL"] = url
    app = create_app(DevelopmentConfig)
    with app.app_context():
        sample = choose_sample()
        agenda_event_id = make_agenda_event()
    tool = load.available_tool(args.tool)
    args.tool = tool
    database = url.split(":", 1)[0].split("+")[0]
    started, machine_info = datetime.now(UTC), machine()
    extras: dict = {}
    try:
        with ExitStack() as redis_stack, ExitStack() as stack:
            redis_url = redis_for(args.redis, redis_stack)
            common = {"workers": args.workers, "redis_url": redis_url}
            bare = stack.enter_context(Server(url, app="bench.bare_app:app", name="bare", **common))
            server = stack.enter_context(Server(url, name="app", **common))
            renderer = stack.enter_context(Server(url, name="app-uncached", env={"PAGE_CACHE_SECONDS": "0"}, **common))
            settings = server.settings()
            print(
                f"Benchmark: {database}, scale {args.scale}, gunicorn -c deploy/gunicorn.conf.py "
                f"({settings['workers']} {settings['worker_class']} workers × {settings['threads']} threads), "
                f"Redis {'yes' if redis_url else 'no'}, {tool}, {args.connections} connections, "
                f"{args.duration:g} s per page; load average {', '.join(map(str, load_average()))}",
                flush=True,
            )
            organiser = Browser(server.base)
            logged_in = organiser.log_in(BENCH_ADMIN_EMAIL, BENCH_PASSWORD)
            selected = [page for page in PAGES if not args.pages or page.name in args.pages]
            bare_before = measure(bare, Browser(bare.base), "bare Flask + Jinja page (before)", BARE_PATH, args)
            ping = measure(server, Browser(server.base), f"app's smallest answer {MINIMAL_ROUTE}", MINIMAL_ROUTE, args)
            pages = [measure_page(server, renderer, page, app, sample, args, organiser) for page in selected]
            event_page = next(page for page in PAGES if page.name == "event page")
            pages.append(
                measure_page(
                    server,
                    renderer,
                    event_page,
                    app,
                    replace(sample, event_id=agenda_event_id),
                    args,
                    organiser,
                    name="event page, 16-item agenda",
                )
            )
            pages.append(measure_rendering(renderer, agenda_event_id, args))
            bare_after = measure(bare, Browser(bare.base), "bare Flask + Jinja page (after)", BARE_PATH, args)
            bare_rps = (bare_before["rps"] + bare_after["rps"]) / 2
            bare_cpu = [row["server_cpu_ms"] for row in (bare_before, bare_after) if row["server_cpu_ms"]]
            bare_cpu_ms = sum(bare_cpu) / len(bare_cpu) if bare_cpu else None
            with app.app_context():
                if hasattr(app_models, "Registration"):
                    registration_load.remove_load_registrations()
            for row in [ping, *pages]:
                if "rps" in row:
                    row["ratio"] = round(row["rps"] / bare_rps, 3)
                    if bare_cpu_ms and row.get("server_cpu_ms"):
                        row["cpu_ratio"] = round(bare_cpu_ms / row["server_cpu_ms"], 3)
            context = BenchContext(
                app=app,
                base=server.base,
                database_url=url,
                sample=sample,
                scale=args.scale,
                uncached_base=renderer.base,
                server=server,
                redis_url=redis_url,
            )
            if not args.skip_extras:
                for name, measure_extra in EXTRAS.items():
                    if args.extras and name not in args.extras:
                        continue
                    print(f"  {name} ...", flush=True)
                    extras[name] = measure_extra(context)
            organiser.close()
            load_after_pages = load_average()
            # The servers stop first: their idle connections would count against PostgreSQL's
            # max_connections, which the burst's own server needs (40 threads).
            stack.close()
            with app.app_context():
                from app.extensions import db

                db.engine.dispose()
            if not args.skip_extras:
                for name, measure_extra in LATE_EXTRAS.items():
                    if args.extras and name not in args.extras:
                        continue
                    print(f"  {name} ...", flush=True)
                    extras[name] = measure_extra(context)
    finally:
        with app.app_context():
            remove_event(agenda_event_id)
    return {
        "measured_at": started.isoformat(timespec="seconds"),
        "seconds_taken": round((datetime.now(UTC) - started).total_seconds()),
        "database": database,
        "scale": args.scale,
        "events": EVENTS_PER_SCALE * args.scale,
        "machine": {
            **machine_info,
            "load_average_after_pages": load_after_pages,
            "load_average_at_end": load_average(),
        },
        "settings": {
            "gunicorn": settings,
            "redis": bool(redis_url),
            "connections": args.connections,
            "seconds_per_page": args.duration,
            "warmup_seconds": args.warmup,
            "load_generator": tool,
            "accept_encoding": "" if args.no_gzip else LOAD_HEADERS["Accept-Encoding"],
            "access_log": "a file per server (bench/results/<server>-access.log), "
            "app.web.access_log.RedactingLogger as deploy/gunicorn.conf.py sets it",
            "logged_in_for_organiser_pages": logged_in,
        },
        "sample": {"event_id": sample.event_id, "region_code": sample.region_code, "agenda_event_items": AGENDA_ITEMS},
        "bare": {
            "path": BARE_PATH,
            "app": "bench.bare_app:app",
            "items": BARE_ITEMS,
            "rps": round(bare_rps, 1),
            "server_cpu_ms": round(bare_cpu_ms, 3) if bare_cpu_ms else None,
            "before": bare_before,
            "after": bare_after,
        },
        "ping": ping,
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
        default=1.0,
        help="seconds of load before each measurement, so every worker has the page",
    )
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--workers", type=int, help="gunicorn workers (GUNICORN_WORKERS); default: the recipe's")
    parser.add_argument(
        "--redis",
        default="auto",
        help="auto (a private redis-server when installed, as deploy/compose.yaml has one), none, or a REDIS_URL",
    )
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--pages", nargs="*", help="only these pages, by name")
    parser.add_argument("--skip-extras", action="store_true", help="only the page table")
    parser.add_argument("--extras", nargs="*", help="only these extra measurements, by name")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results.json")
    parser.add_argument(
        "--no-gzip",
        action="store_true",
        help="load without Accept-Encoding (answers uncompressed, as the bare page's always are)",
    )
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
