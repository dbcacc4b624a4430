"""Instructions per page, counted by valgrind's callgrind: the same count on any machine
and under any load, where CPU time here moved by a third between hours and more than
twice between days (README, "Performance"). For telling whether a change made rendering
cheaper without five alternating runs, and for the rendered 16-item event page against
the bare Flask + Jinja page whatever the machine.

    .venv/bin/python -m bench.instructions [--database-url URL] [--pages 40]

Each count is a child process under callgrind: the production app (`wsgi:app`, production
configuration, PAGE_CACHE_SECONDS=0, asked as https through the proxy) renders the page
`--pages` times after a warm-up of 20 through Flask's test client; another child does the
warm-up alone, and the difference over the pages is one page's count, start-up and
warm-up cancelled. The same for the bare page. Both children of a pair run side by side.
On PostgreSQL the database's own work is in its server and not counted, only its client's;
on SQLite (the default, as `make bench`'s) it runs in the process and is counted.
"""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))

WARM_UP = 20
HOST = "http://127.0.0.1:8000"


def count(kind: str, pages: int, env: dict) -> int:
    """The instructions a child that renders `pages` pages of `kind` runs in all."""
    with tempfile.TemporaryDirectory() as scratch:
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={scratch}/callgrind.out"]
        command += [sys.executable, "-m", "bench.instructions", "--child", kind, "--pages", str(pages)]
        done = subprocess.run(command, env=env, cwd=BASE_DIR, capture_output=True, text=True)
    counted = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or not counted:
        raise SystemExit(f"{kind} ×{pages} under callgrind failed:\n{done.stderr[-3000:]}")
    return int(counted.group(1))


def per_page(kind: str, pages: int, env: dict) -> float:
    with ThreadPoolExecutor(2) as pool:
        warm_up_only, with_pages = pool.map(lambda n: count(kind, n, env), (0, pages))
    return (with_pages - warm_up_only) / pages


def child(kind: str, pages: int) -> None:
    from bench.client import proxy_headers

    if kind == "bare":
        from bench.bare_app import app
        from bench.run import BARE_PATH as path
    else:
        from wsgi import app

        path = f"/events/{os.environ['BENCH_EVENT_ID']}"
    client = app.test_client()
    headers = proxy_headers(HOST, "10.0.0.1")
    for _ in range(WARM_UP):
        answer = client.get(path, headers=headers, base_url=HOST)
        assert answer.status_code == 200, (answer.status_code, answer.data[:500])
    for _ in range(pages):
        answer = client.get(path, headers=headers, base_url=HOST)
        assert answer.status_code == 200, answer.status_code


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: $DATABASE_URL, else the scale-1 bench database")
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--child", choices=["app", "bare"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.pages)
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")

    from app import create_app
    from bench.agenda_event import make_agenda_event
    from bench.context import remove_event
    from bench.generate import default_database_url, generate
    from config import DevelopmentConfig, normalise_database_url

    url = normalise_database_url(args.database_url or os.environ.get("DATABASE_URL") or default_database_url(1))
    generate(url, 1, if_needed=True)
    os.environ["DATABASE_URL"] = url
    app = create_app(DevelopmentConfig)
    with app.app_context():
        event_id = make_agenda_event()
    # As bench/server.py serves the app: production settings, one proxy hop, no Redis.
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "FLASK_DEBUG", "PROXY_HOPS")}
    env.update(
        PYTHONHASHSEED="0",  # the same dict and set layouts in every child: the same counts
        SAMVERKAN_CONFIG="production",
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=url,
        BASE_URL=HOST.replace("http:", "https:"),
        PAGE_CACHE_SECONDS="0",
        BENCH_EVENT_ID=str(event_id),
    )
    try:
        rendered = per_page("app", args.pages, env)
        bare = per_page("bare", args.pages * 5, env)
    finally:
        with app.app_context():
            remove_event(event_id)
    print(f"database: {url.split(':', 1)[0]}")
    print(f"event page, 16-item agenda, rendered: {rendered / 1e6:.2f} M instructions")
    print(f"bare Flask + Jinja page:              {bare / 1e6:.2f} M instructions")
    print(f"ratio:                                {rendered / bare:.2f}×")


if __name__ == "__main__":
    sys.exit(main())
