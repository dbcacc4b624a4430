"""The app as production runs it, plus two things only a benchmark needs.

    gunicorn bench.wsgi_bench:app

- `GET /bench/ping`: the smallest answer this app can give, through the same
  WSGI stack, request hooks and security headers as every page. Its throughput
  is the framework's own limit on this machine; pages are reported as a ratio to it.
- An `X-SQL-Count` header on every answer: the SQL statements the request ran,
  counted by a `before_cursor_execute` listener.
- `X-Bench-Render: 1` on a request makes the page cache miss (see below).
- An `X-CPU-Microseconds` header: the CPU time the worker spent in the app for the
  request (thread time, from the first request hook to the last). Unlike
  throughput it hardly changes when other processes compete for the cores, so
  figures from a busy machine can still be compared.

Neither exists in `wsgi.py`: the production app never grows a ping route or
tells the world how many queries a page costs. Two settings differ from
production, each for a reason given below: rate limits are off, and cookies are
not marked Secure.
"""

import time

from flask import g, has_app_context, request
from sqlalchemy import event

from app import create_app
from app.extensions import db, limiter

app = create_app()
# One load generator on one address would trip the abuse limits meant for many
# visitors; the benchmark measures the app's speed, not those limits.
limiter.enabled = False
# Production marks its cookies Secure, for the https its proxy serves; the benchmark
# talks plain http on loopback, where clients (like browsers) would not send them back.
app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)


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
    if "cpu_started" in g:
        response.headers["X-CPU-Microseconds"] = str(round((time.thread_time() - g.cpu_started) * 1e6))
    return response


def _render_when_asked(store):
    """`X-Bench-Render: 1` makes the page cache miss, so the runner can measure what
    rendering a page costs (the first visit after a change) beside serving a kept copy."""
    kept = store.get

    def get(key):
        return None if request.headers.get("X-Bench-Render") else kept(key)

    store.get = get


_render_when_asked(app.extensions["page_cache"])

with app.app_context():
    event.listen(db.engine, "before_cursor_execute", _count_statement)
