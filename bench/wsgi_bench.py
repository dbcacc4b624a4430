"""The app as production runs it (`wsgi:app`), plus what only a benchmark needs to read.

    gunicorn -c deploy/gunicorn.conf.py bench.wsgi_bench:app

- `GET /bench/ping`: the smallest answer this app can give, through the same
  WSGI stack, request hooks and security headers as every page: what the app's
  own machinery costs, beside the bare Flask + Jinja page (bench/bare_app.py).
- An `X-SQL-Count` header on every answer: the SQL statements the request ran,
  counted by a `before_cursor_execute` listener (under load a kept page may count 0: its
  content version read was another thread's, shared; the single requests come one at a time).
- An `X-Worker` header: the process id of the gunicorn worker that answered
  (bench/shared_pages.py counts the workers a page was served by).
- An `X-CPU-Microseconds` header: the CPU time the worker thread spent in the app
  for the request (from the first request hook to the last).

Nothing else differs from production: the rate limits are on (the benchmark's clients
send each visitor's own address as the proxy would) and cookies are Secure (the
clients speak https through the "proxy", see bench/client.py). Neither route nor
header exists in `wsgi.py`: the production app never tells the world how many
queries a page costs. A server with PAGE_CACHE_SECONDS=0 in its environment renders
every page, which is how bench/run.py measures rendering.
"""

import os
import time

from flask import g, has_app_context
from sqlalchemy import event

from app.cache import content_version
from app.extensions import db
from wsgi import app


@app.get("/bench/ping")
def ping():
    return "pong"


def _count_statement(conn, cursor, statement, parameters, context, executemany) -> None:
    if has_app_context():
        g.sql_count = g.get("sql_count", 0) + 1


def _start_cpu_clock() -> None:
    g.cpu_started = time.thread_time()


# First of all request hooks, so the guards and the login are counted too.
app.before_request_funcs.setdefault(None, []).insert(0, _start_cpu_clock)


@app.after_request
def _report_costs(response):
    response.headers["X-SQL-Count"] = str(g.get("sql_count", 0))
    response.headers["X-Worker"] = str(os.getpid())
    if "cpu_started" in g:
        response.headers["X-CPU-Microseconds"] = str(round((time.thread_time() - g.cpu_started) * 1e6))
    return response


with app.app_context():
    # Kept pages read the content version on an engine of their own (content_version.reader).
    for engine in {db.engine, content_version.reader()}:
        event.listen(engine, "before_cursor_execute", _count_statement)
