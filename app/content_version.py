"""The content version: raised in the same transaction as every change public pages show.

The page cache (app/page_cache.py) keeps rendered pages under the version they were
rendered at and serves them only while it is still current. Because the raise is
part of the change's own transaction, every process on every machine sees the new
data and the new version at the same moment: a kept page can never outlive the
commit that made it stale.

Changes are noticed in the ORM session: objects flushed or about to be, and bulk
UPDATE/DELETE/INSERT statements run through it. Tables no public page reads are left
out, so the mail worker, the audit log and address-book work do not empty the cache.
"""

import time
from functools import wraps
from itertools import chain

from flask import current_app
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import ORMExecuteState, Session

from app.extensions import db

# Tables no cached page shows. A new table counts as public until added here, so
# forgetting it costs speed, never correctness.
PRIVATE_TABLES = frozenset({
    "audit_entry", "contact", "content_version", "import_batch", "invitation", "invitation_history",
    "outbox_attachment", "outbox_message", "survey_link", "visit_note",
})
CHANGED = "public_content_changed"
RAISE = text("UPDATE content_version SET version = version + 1 WHERE id = 1")
READ = "SELECT version FROM content_version WHERE id = 1"


def _is_public(obj) -> bool:
    table = getattr(obj, "__table__", None)
    return table is None or table.name not in PRIVATE_TABLES


def _note_pending(session: Session) -> None:
    if not session.info.get(CHANGED) and any(
        _is_public(obj) for obj in chain(session.new, session.dirty, session.deleted)
    ):
        session.info[CHANGED] = True


def _note_flush(session: Session, flush_context) -> None:
    # After a flush the lists still show what it wrote.
    _note_pending(session)


def _note_statement(state: ORMExecuteState) -> None:
    if state.session.info.get(CHANGED) or not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if table is None or table.name not in PRIVATE_TABLES:
        state.session.info[CHANGED] = True


def _raise_before_commit(session: Session) -> None:
    _note_pending(session)  # what the commit's own flush is about to write
    if session.info.pop(CHANGED, False):
        session.execute(RAISE)


def _forget(session: Session, transaction) -> None:
    # Only when the whole transaction ends: a savepoint rolled back inside it may
    # leave earlier changes that still commit.
    if transaction.parent is None:
        session.info.pop(CHANGED, None)


def note_written(session: Session, table) -> None:
    """For writes the session does not see (COPY in app/services/bulk.py)."""
    if table.name not in PRIVATE_TABLES:
        session.info[CHANGED] = True


def current(engine: Engine) -> int | None:
    """The version now; None when the row is missing (caching is then off).

    On a connection of its own rather than the request's session: a page served from
    the cache then never starts a session at all.
    """
    with engine.connect() as connection:
        return connection.exec_driver_sql(READ).scalar()



LISTENERS = (
    ("after_flush", _note_flush),
    ("do_orm_execute", _note_statement),
    ("before_commit", _raise_before_commit),
    ("after_transaction_end", _forget),
)


def memoized(function):
    """Keep the plain-data result of a costly aggregate (by its arguments) in this process
    while the content version is unchanged, like the page cache does with pages, and at
    most PAGE_CACHE_SECONDS, since "held" events depend on the clock. For organiser
    pages, which the page cache never serves, such as the national overview."""

    @wraps(function)
    def wrapper(*args):
        seconds = current_app.config["PAGE_CACHE_SECONDS"]
        if not seconds:
            return function(*args)
        store = current_app.extensions["content_memo"]
        key = (function.__qualname__, args)
        version = current(db.engine)
        kept = store.get(key)
        if kept is not None and version is not None and kept[0] == version and kept[1] > time.monotonic():
            return kept[2]
        value = function(*args)
        store[key] = (version, time.monotonic() + seconds, value)
        return value

    return wrapper


def install(session_class: type[Session]) -> None:
    """Listen on the session class every app's `db.session` uses; once per process."""
    for name, listener in LISTENERS:
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)
