"""Connection pools as big as the threads that use them (app/database/pool.py): under a
worker's full load of threads no connection is opened beyond the first ones, so no
request waits for PostgreSQL to start a backend."""

import threading
import time
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import event, text

from app.cache import content_version
from app.extensions import db
from tests.conftest import require_postgres

THREADS = 8  # deploy/gunicorn.conf.py's default
ROUNDS = 15


@contextmanager
def counting_connects(engine):
    opened = []

    def note(dbapi_connection, record):
        opened.append(record)

    event.listen(engine, "connect", note)
    try:
        yield opened
    finally:
        event.remove(engine, "connect", note)


def all_at_once(app, work) -> None:
    """`work()` ROUNDS times in each of THREADS threads, each in an app context of its own,
    all started together."""
    start, errors = threading.Barrier(THREADS), []

    def run():
        try:
            start.wait()
            for _ in range(ROUNDS):
                with app.app_context():
                    work()
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors


def test_the_pool_keeps_a_connection_for_each_thread():
    require_postgres("the pool of PostgreSQL connections")
    app = current_app._get_current_object()
    assert app.config["DATABASE_POOL_SIZE"] == THREADS
    assert db.engine.pool.size() == THREADS

    def request():
        db.session.execute(text("SELECT pg_sleep(0.002)"))
        db.session.remove()

    with counting_connects(db.engine) as opened:
        all_at_once(app, request)
    # The default pool (5) opened and closed a connection for most requests beyond the fifth.
    assert len(opened) <= THREADS


def test_the_version_reader_waits_for_its_connections_rather_than_open_more():
    require_postgres("the version reader's own engine")
    app = current_app._get_current_object()
    reader = content_version.reader()

    def read():
        content_version.on_reader(lambda connection: (connection.exec_driver_sql("SELECT 1"), time.sleep(0.002)))

    with counting_connects(reader) as opened:
        all_at_once(app, read)
    assert len(opened) <= content_version.READER_POOL_SIZE


def test_the_pool_size_follows_the_threads(monkeypatch, make_app):
    monkeypatch.setenv("GUNICORN_THREADS", "4")
    assert make_app().config["DATABASE_POOL_SIZE"] == 4
    monkeypatch.setenv("DATABASE_POOL_SIZE", "12")
    assert make_app().config["DATABASE_POOL_SIZE"] == 12
