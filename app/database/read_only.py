"""Views whose GET only reads: their session runs in autocommit, without a transaction.

With psycopg a transaction's BEGIN is a round trip of its own, and the session ends every
request with a ROLLBACK, another: together 0.2 ms of CPU and 0.6 ms of a rendered 16-item
event page's 4 ms. A GET that only reads needs neither. Its reads see what they saw before:
PostgreSQL's READ COMMITTED gives each statement a snapshot of its own in a transaction too.

`@reads_only` marks such a view (`cached_page` marks every page it keeps). Its session takes
its connection in autocommit at its first ORM statement, so a page that reads nothing (or
fails before it does) needs no database. A write there would commit at once, whatever came
after it, so the connection refuses every statement but a plain SELECT. A session already in
a transaction when the view reads (a logged-in visitor's user, loaded by an earlier hook) is
left as it is.
"""

from flask import Flask, current_app, request
from flask_sqlalchemy.session import Session
from sqlalchemy import Engine, event
from sqlalchemy.orm import ORMExecuteState

from app.extensions import db

READS_ONLY = "reads_only"  # the mark on a view, session.info's and the connection's option
# What a read-only connection may not run even in a SELECT: a row lock (as SQLAlchemy writes it).
_ROW_LOCKS = (" FOR UPDATE", " FOR NO KEY UPDATE", " FOR SHARE", " FOR KEY SHARE")


def reads_only(view):
    """Mark a view whose GET and HEAD only read (its POST, if any, writes as usual)."""
    setattr(view, READS_ONLY, True)
    return view


def begin_reading() -> None:
    """Before a marked view's GET: its session is to read in autocommit (`_in_autocommit`).
    The request it is for is noted, so a request context opened inside it (mail's links)
    does not end it."""
    if request.method not in ("GET", "HEAD"):
        return
    if getattr(current_app.view_functions.get(request.endpoint), READS_ONLY, False):
        db.session().info[READS_ONLY] = id(request.environ)


def _in_autocommit(state: ORMExecuteState) -> None:
    """At a reading session's first statement, its connection in autocommit."""
    session = state.session
    if session.info.get(READS_ONLY) and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT", READS_ONLY: True})


def end_reading(_error=None) -> None:
    """After the request its autocommit ends (no round trip), so the session goes on as usual
    should it outlive the request (tests hold an app context across requests)."""
    if not db.session.registry.has():
        return
    session = db.session()
    if session.info.get(READS_ONLY) != id(request.environ):
        return
    del session.info[READS_ONLY]
    # Only a transaction begun in autocommit: one the session had before is not the view's to end.
    if session.in_transaction() and session.connection().get_execution_options().get(READS_ONLY):
        session.rollback()


def _plain_select(statement: str) -> bool:
    return statement.lstrip()[:6].upper() == "SELECT" and not any(lock in statement for lock in _ROW_LOCKS)


def _refuse_writes(conn, cursor, statement, parameters, context, executemany) -> None:
    if conn.get_execution_options().get(READS_ONLY) and not _plain_select(statement):
        raise RuntimeError(f"a view marked reads_only ran {statement.split(None, 1)[0]}, in autocommit")


def init_app(app: Flask) -> None:
    """After the page cache's hook: a page served kept never asks to read."""
    if not event.contains(Session, "do_orm_execute", _in_autocommit):
        event.listen(Session, "do_orm_execute", _in_autocommit)
    if not event.contains(Engine, "before_cursor_execute", _refuse_writes):
        event.listen(Engine, "before_cursor_execute", _refuse_writes)
    app.before_request(begin_reading)
    app.teardown_request(end_reading)
