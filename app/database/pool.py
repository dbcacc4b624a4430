"""Connection pools as big as the threads that use them, and a liveness check without a
round trip.

A gunicorn worker answers GUNICORN_THREADS requests at once (deploy/gunicorn.conf.py),
each in a session of its own. SQLAlchemy's default pool keeps 5 connections and opens up
to 10 more for a burst, closing each of those as it is returned: with 8 threads busy,
every request beyond the fifth opened a new PostgreSQL connection (a backend forked and
its settings sent), which under load was most of the time kept pages spent waiting and
gave them a p99 of a second. So the pool keeps one connection per thread
(DATABASE_POOL_SIZE); the overflow is left for a request that needs a second one.

SQLAlchemy's pre-ping asks the server at every checkout whether a pooled connection still
works: a round trip before each request's first statement. A connection the server has
closed (a restart, `pg_terminate_backend`) says so itself: the server sends its reason and
closes the socket, which then has something to read, while an idle connection in good
order has nothing. So a pooled connection whose socket is readable is replaced before use,
which costs one `poll()`. SQLite's pools are its own affair (a file's connections are
cheap, in-memory is static) and keep the pre-ping, which there asks no server.

A process forked from one that had connected (gunicorn's workers, forked from the master
that loaded the app) starts with an empty pool, whatever the database.
"""

import os
import select
import weakref

from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError

# Engines already watched: watching one again adds nothing.
_WATCHED: "weakref.WeakSet[Engine]" = weakref.WeakSet()


def sized(options: dict, config) -> dict:
    """Engine options with the pool sized and checked for the configured database: on
    PostgreSQL one connection per thread, checked by `watch`; elsewhere the pre-ping."""
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return {"pool_size": config["DATABASE_POOL_SIZE"], **options, "pool_pre_ping": False}
    return {**options, "pool_pre_ping": True}


def watch(engine: Engine) -> None:
    """Replace a pooled PostgreSQL connection the server has closed before it is used, and
    start a forked process with an empty pool."""
    if engine in _WATCHED:
        return
    _WATCHED.add(engine)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "checkout", _replace_if_closed)
    _forgotten_in_children(engine)


def _forgotten_in_children(engine: Engine) -> None:
    """gunicorn loads the app once and forks its workers from it (deploy/gunicorn.conf.py): a
    connection the parent had pooled must not be used by two processes, so a child leaves
    them to the parent (`dispose(close=False)`) and opens its own."""
    engine_ref = weakref.ref(engine)

    def forget() -> None:
        forked = engine_ref()
        if forked is not None:
            forked.dispose(close=False)

    os.register_at_fork(after_in_child=forget)


def _replace_if_closed(dbapi_connection, record, proxy) -> None:
    try:
        poll = select.poll()
        poll.register(dbapi_connection.fileno(), select.POLLIN)
        closed = bool(poll.poll(0))
    except (OSError, ValueError, dbapi_connection.OperationalError):  # no socket any more
        closed = True
    if closed:
        # The pool throws this connection away and checks out another (a new one).
        raise DisconnectionError("the database server closed this connection")
