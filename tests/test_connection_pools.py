"""Connection pools (app/database/pool.py): as big as the threads that use them, so under a
worker's full load of threads no connection is opened beyond the first ones and no
request waits for PostgreSQL to start a backend; and a connection the server closed is
replaced before use, without a round trip to ask."""

import os
import threading
import time
from contextlib import contextmanager

import psycopg
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


def terminate_the_other_backends() -> None:
    """What a database restart does to the pool's idle connections."""
    with psycopg.connect(os.environ["TEST_DATABASE_URL"], autocommit=True) as other:
        other.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def test_a_connection_the_server_closed_is_replaced_before_use(client, make_event):
    """Without the pre-ping's round trip (app/database/pool.py): the page after a restart
    is answered on a new connection, not with an error."""
    require_postgres("the server closing the pool's connections")
    assert current_app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is False
    event = make_event()
    db.session.commit()
    path, title = f"/events/{event.id}", event.title
    db.session.remove()  # its connection back in the pool, idle
    terminate_the_other_backends()
    with counting_connects(db.engine) as opened:
        answer = client.get(path)  # rendered: its first visit
        assert db.session.execute(text("SELECT 1")).scalar_one() == 1
    assert answer.status_code == 200 and title in answer.get_data(as_text=True)
    assert opened


def test_a_forked_process_leaves_the_parents_connections_to_it():
    """gunicorn forks its workers from the master that loaded the app: a worker starts with
    an empty pool, and the master's pooled connection still works for the master."""
    db.session.execute(text("SELECT 1"))
    db.session.remove()
    assert db.engine.pool.checkedin() >= 1
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the worker: report what it inherited, and leave at once
        try:
            os.write(write, str(db.engine.pool.checkedin()).encode())
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    assert os.read(read, 16) == b"0"
    assert db.session.execute(text("SELECT 1")).scalar_one() == 1
