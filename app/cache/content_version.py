"""The content version: raised in the same transaction as every change public pages show.

The page cache (app/cache/page_cache.py) keeps rendered pages under the version they were
rendered at and serves them only while it is still current. Because the raise is
part of the change's own transaction, every process on every machine sees the new
data and the new version at the same moment: a kept page can never outlive the
commit that made it stale.

Changes are noticed in the ORM session: objects flushed or about to be, and bulk
UPDATE/DELETE/INSERT statements run through it. Tables no public page reads are left
out, so the mail worker, the audit log and address-book work do not empty the cache.

Lock order: the version rows are the last lock a transaction takes. The commit first
flushes everything else, whose writes may wait for other locks (an INSERT that
refers to an event waits while another transaction holds that event's row), and
raises the version only then, just before COMMIT; so a transaction holding a version
row never waits for anything, and no lock cycle can run through it. See
app/services/registrations/seats.py for the rest of the order.
"""

import logging
import os
import threading
import time
import weakref
from functools import wraps
from itertools import chain

from flask import current_app, g, has_request_context
from sqlalchemy import Engine, bindparam, create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ONETOMANY, ORMExecuteState, RelationshipProperty, Session

from app.database import pool
from app.extensions import db

log = logging.getLogger(__name__)

# Two numbers, so that a wave of registrations does not empty the cache of pages that
# show no participants (calendar feeds, agendas): row 1 counts changes to what events
# show, row 2 changes to who takes part (seats left, people reached, ratings).
CONTENT, PARTICIPATION = 1, 2
PARTICIPATION_TABLES = frozenset({"registration", "survey_answer", "survey_respondent", "survey_response"})
# Tables no cached page shows. A new table counts as content until added here, so
# forgetting it costs speed, never correctness.
PRIVATE_TABLES = frozenset(
    {
        "audit_entry",
        "contact",
        "content_version",
        "import_batch",
        "invitation",
        "invitation_history",
        "outbox_attachment",
        "outbox_message",
        "survey_link",
        "suppressed_address",
        "visit_note",
    }
)
CHANGED = "public_content_changed"  # session.info key: the set of versions to raise
UNCHANGED = "changes_no_content"  # execution option of a write that changes nothing shown
READ = "SELECT id, version FROM content_version"
VERSIONS = "content_versions"  # g key: the versions this request read
SHARED_READ = "content_version_read"  # app.extensions key: the process's SharedRead
# Connections a process keeps for reading the version (one read at a time, SharedRead) and
# the live parts' values, and no more: a read holds one for a fraction of a millisecond, so
# a thread waits for one rather than open a connection of its own, which under load
# (8 threads, 2 pooled) was a new PostgreSQL backend for most reads and a p99 of a second.
# A page returns its reader connection before it opens its session.
READER_POOL_SIZE = 2


def _scope(table) -> int | None:
    if table is None:
        return CONTENT  # a statement without one table: assume the worst
    if table.name in PRIVATE_TABLES:
        return None
    return PARTICIPATION if table.name in PARTICIPATION_TABLES else CONTENT


def _note(session: Session, table) -> None:
    scope = _scope(table)
    if scope is not None:
        session.info.setdefault(CHANGED, set()).add(scope)


def _note_pending(session: Session) -> None:
    for obj in chain(session.new, session.deleted):
        _note(session, getattr(obj, "__table__", None))
    for obj in session.dirty:
        if _changed_in_own_rows(obj):
            _note(session, getattr(obj, "__table__", None))


def _changed_in_own_rows(obj) -> bool:
    """Whether a dirty object changed its own row or a many-to-many link. An event is
    dirty too when a registration is added to it, but that change is the registration's
    own row (and scope), so it does not count for the event."""
    state = inspect(obj)
    for attribute in state.attrs:
        if attribute.history.has_changes():
            prop = state.mapper.get_property(attribute.key)
            if not (isinstance(prop, RelationshipProperty) and prop.direction is ONETOMANY):
                return True
    return False


def _note_flush(session: Session, flush_context) -> None:
    # After a flush the lists still show what it wrote.
    _note_pending(session)


def _note_statement(state: ORMExecuteState) -> None:
    # The seat lock on SQLite is an UPDATE that changes nothing; it says so.
    if (state.is_update or state.is_delete or state.is_insert) and not state.execution_options.get(UNCHANGED):
        _note(state.session, getattr(state.statement, "table", None))


def _raise_before_commit(session: Session) -> None:
    # Write everything first (noted by _note_flush), so the version is the last lock taken.
    session.flush()
    scopes = session.info.pop(CHANGED, None)
    if scopes:
        session.execute(
            text("UPDATE content_version SET version = version + 1 WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": sorted(scopes)},
        )


def _forget(session: Session, transaction) -> None:
    # Only when the whole transaction ends: a savepoint rolled back inside it may
    # leave earlier changes that still commit.
    if transaction.parent is None:
        session.info.pop(CHANGED, None)


def _forget_versions(session: Session) -> None:
    if has_request_context():
        g.pop(VERSIONS, None)


def note_written(session: Session, table) -> None:
    """For writes the session does not see (COPY in app/services/bulk.py)."""
    _note(session, table)


def current() -> dict[int, int] | None:
    """Both versions, by row id; None when a row is missing or the database does not answer
    (caching is then off, and the page is rendered as without it).

    Read once per request (and again after the request commits): whatever it reads
    later is at least as new, and kept under these versions it is renewed when they
    change. On a connection of its own rather than the request's session, so a page
    served from the cache never starts a session at all, and shared with the process's other
    threads that wait for a read at the same time (SharedRead).
    """
    if has_request_context() and VERSIONS in g:
        return g.get(VERSIONS)
    rows = current_app.extensions[SHARED_READ]()
    versions = dict(rows) if rows is not None and len(rows) == 2 else None
    if has_request_context():
        g.setdefault(VERSIONS, versions)
    return versions


def read_rows() -> list | None:
    """The version rows, read now; None when the database does not answer."""
    try:
        return on_reader(lambda connection: connection.exec_driver_sql(READ).all())
    except DBAPIError as error:
        log.warning("The content version could not be read (%s): this page is not served kept", error)
        return None


class SharedRead:
    """The version read, one at a time in a process and shared by the threads waiting for it.

    A request must be answered from a read that began after it arrived, so that the read sees
    every commit made before. A thread that comes while a read runs waits for it to end and
    then for the next, which begins after it came and serves every thread that came during
    the one before: under load one round trip answers many requests, instead of each taking
    its turn for the reader's connections and the database's time. A thread that has waited
    `wait_seconds` (a read stuck on a network that stopped answering) goes on without the
    version, so its page is rendered, rather than hold the worker's threads.
    """

    def __init__(self, read, wait_seconds: float = 5) -> None:
        self._read = read
        self._wait_seconds = wait_seconds
        self._start_afresh()
        # A process forked while a thread of its parent read, or held the lock, would wait
        # for a read no thread of its own runs: the child starts afresh.
        shared = weakref.ref(self)
        os.register_at_fork(after_in_child=lambda: (forked := shared()) and forked._start_afresh())

    def _start_afresh(self) -> None:
        self._read_ended = threading.Condition()
        self._begun = 0  # reads begun; they run one at a time, so they end in this order
        self._ended = 0  # the number of the last one ended, whose rows are kept
        self._running = False
        self._rows = None

    def __call__(self) -> list | None:
        deadline = time.monotonic() + self._wait_seconds
        with self._read_ended:
            wanted = self._begun + 1  # the first read to begin after this thread came
            while self._ended < wanted:
                if not self._running:
                    return self._lead()
                left = deadline - time.monotonic()
                if left <= 0:
                    log.warning(
                        "No content version read ended within %s s: this page is not served kept", self._wait_seconds
                    )
                    return None
                self._read_ended.wait(left)
            return self._rows

    def _lead(self) -> list | None:
        """Run the next read, the lock released meanwhile (called and returning with it held)."""
        self._begun += 1
        number = self._begun
        self._running = True
        rows = None
        self._read_ended.release()
        try:
            rows = self._read()
        finally:
            self._read_ended.acquire()
            self._running = False
            self._ended = number
            self._rows = rows
            self._read_ended.notify_all()
        return rows


def on_reader(work):
    """`work(connection)` on the reader's connection. A pooled connection the server has
    closed (a restart) fails once: the pool's connections are all thrown away and a new one
    asked; the next failure is real."""
    engine = reader()
    try:
        with engine.connect() as connection:
            return work(connection)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        engine.dispose()
    with engine.connect() as connection:
        return work(connection)


def reader() -> Engine:
    """The engine the version is read on. On PostgreSQL one of its own: a few connections
    per process, in autocommit, so the one statement needs no BEGIN and no ROLLBACK, and a
    connection the server closed is replaced as the app's are (app/database/pool.py). On
    SQLite the app's own (a read there begins no transaction)."""
    engines = current_app.extensions["content_version_reader"]
    if not engines:
        engine = db.engine
        if engine.dialect.name == "postgresql":
            options = dict(current_app.config["SQLALCHEMY_ENGINE_OPTIONS"], pool_size=READER_POOL_SIZE, max_overflow=0)
            engine = create_engine(engine.url, **options, isolation_level="AUTOCOMMIT")
            pool.watch(engine)
        engines.append(engine)
    return engines[0]


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
        version = current()
        kept = store.get(key)
        if kept is not None and version is not None and kept[0] == version and kept[1] > time.monotonic():
            return kept[2]
        value = function(*args)
        store[key] = (version, time.monotonic() + seconds, value)
        return value

    return wrapper


LISTENERS = (
    ("after_flush", _note_flush),
    ("do_orm_execute", _note_statement),
    ("before_commit", _raise_before_commit),
    ("after_transaction_end", _forget),
    ("after_commit", _forget_versions),
)


def install(session_class: type[Session]) -> None:
    """Listen on the session class every app's `db.session` uses; once per process."""
    for name, listener in LISTENERS:
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)
