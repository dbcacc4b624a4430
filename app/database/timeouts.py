"""Bounded database waits, so one held lock cannot freeze the site.

Every connection the app opens gets a lock timeout and, on PostgreSQL, a statement
timeout (DATABASE_LOCK_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS in config.py; 0 turns
one off). A request that waits longer for a lock than that, for instance for an event
row another transaction holds, fails fast instead of taking a worker until gunicorn
kills it; app/web/errors.py answers it with "busy, try again" (503 with Retry-After).
On SQLite the lock timeout is the busy timeout on the database write lock.
"""

import sqlite3

from sqlalchemy.exc import OperationalError

# PostgreSQL's SQLSTATEs for a lock wait and a statement that ran out of time.
LOCK_NOT_AVAILABLE = "55P03"
QUERY_CANCELED = "57014"
# SQLite has no "forever"; a day is as good.
SQLITE_NO_LIMIT_SECONDS = 24 * 3600


def engine_options(config) -> dict:
    """SQLALCHEMY_ENGINE_OPTIONS with the timeouts added for the configured database."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    lock_ms, statement_ms = config["DATABASE_LOCK_TIMEOUT_MS"], config["DATABASE_STATEMENT_TIMEOUT_MS"]
    url = config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        # Sent with the connection's start-up, so it costs no round trip.
        settings = f"-c lock_timeout={lock_ms} -c statement_timeout={statement_ms}"
        connect_args["options"] = " ".join(filter(None, (connect_args.get("options"), settings)))
    elif url.startswith("sqlite"):
        connect_args["timeout"] = lock_ms / 1000 if lock_ms else SQLITE_NO_LIMIT_SECONDS
    options["connect_args"] = connect_args
    return options


def ran_out(error: BaseException) -> str | None:
    """ "lock" or "statement" when a database error is a wait that ran out of time, else None."""
    if not isinstance(error, OperationalError):
        return None
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate == LOCK_NOT_AVAILABLE:
        return "lock"
    if sqlstate == QUERY_CANCELED:
        return "statement"
    if isinstance(original, sqlite3.OperationalError) and original.sqlite_errorcode == sqlite3.SQLITE_BUSY:
        return "lock"
    return None
