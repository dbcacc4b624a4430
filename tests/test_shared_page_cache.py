"""Kept pages shared through a real Redis (app/cache/shared_pages.py): a page rendered by one
app instance (a gunicorn worker, or another machine) is served by the others without
rendering it again, a commit anywhere renews it everywhere, and a Redis that stops
answering costs the visitors nothing.

Redis database 13 of the Redis on 127.0.0.1:6379, under a prefix of each test's own; only
those keys are deleted. The test of a Redis going away runs a redis-server of its own.
"""

import logging
import re
import secrets
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
import redis
from sqlalchemy import event as sa_event
from sqlalchemy import update

import config
from app.cache import content_version
from app.cache.shared_pages import SharedPageStore
from app.extensions import db
from app.models import Event
from tests.conftest import require_redis

REDIS_URL = "redis://127.0.0.1:6379/13"
SEATS_LEFT = r"Lediga platser</dt>\s*<dd[^>]*>{}<"


def _redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(autouse=True)
def _needs_redis():
    require_redis("kept pages are shared through it")


def shared_config(url: str, prefix: str):
    class SharedConfig(config.TestingConfig):
        def __init__(self):
            super().__init__()
            self.REDIS_URL = url
            self.PAGE_CACHE_REDIS_PREFIX = prefix

    return SharedConfig


@pytest.fixture
def prefix():
    """A prefix of this test's own; its keys are deleted afterwards, nothing else."""
    prefix = f"samverkan-test:{secrets.token_hex(4)}:"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def instances(make_app, prefix):
    """Two app instances sharing the database and Redis, as two workers do."""
    return make_app(shared_config(REDIS_URL, prefix)), make_app(shared_config(REDIS_URL, prefix))


@contextmanager
def statements_of(app):
    """The SQL statements `app` runs inside the block."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engines = {db.engine, content_version.reader()}
    for engine in engines:
        sa_event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        for engine in engines:
            sa_event.remove(engine, "before_cursor_execute", before)


def test_two_instances_share_one_rendering(instances, make_event, prefix):
    first, second = instances
    event = make_event(title="Delad sida")
    path = f"/events/{event.id}"
    with statements_of(first) as rendering:
        rendered = first.test_client().get(path)
    assert rendered.status_code == 200 and "Delad sida" in rendered.get_data(as_text=True)
    assert len(rendering) > 1  # really rendered
    assert any(redis.Redis.from_url(REDIS_URL).scan_iter(f"{prefix}*"))

    with statements_of(second) as serving:
        shared = second.test_client().get(path)
    assert serving == [content_version.READ]  # the version only: not rendered again
    assert shared.status_code == 200
    assert shared.get_data() == rendered.get_data()
    assert shared.headers["ETag"] == rendered.headers["ETag"]
    assert shared.headers["Content-Security-Policy"]  # added to every answer, as for local copies

    # Gzipped for those who accept it, from the copy compressed once by the first instance.
    zipped = second.test_client().get(path, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"


def test_a_commit_in_one_instance_renews_the_page_in_both(instances, make_event):
    first, second = instances
    event = make_event(title="Före ändringen")
    path = f"/events/{event.id}"
    for app in instances:
        assert "Före ändringen" in app.test_client().get(path).get_data(as_text=True)

    with second.app_context():
        db.session.execute(update(Event).where(Event.id == event.id).values(title="Efter ändringen"))
        db.session.commit()
        db.session.remove()

    with statements_of(first) as rendering:
        renewed = first.test_client().get(path).get_data(as_text=True)
    assert "Efter ändringen" in renewed and "Före ändringen" not in renewed
    assert len(rendering) > 1
    with statements_of(second) as serving:
        assert second.test_client().get(path).get_data(as_text=True) == renewed
    assert serving == [content_version.READ]


def test_a_registration_leaves_the_shared_event_page_kept_with_its_seats_filled_in(instances, make_event):
    """The event page's seats are live parts: after a registration another instance still
    takes the page from Redis, and reads only the seats."""
    first, second = instances
    event = make_event(capacity=4)
    path = f"/events/{event.id}"
    assert re.search(SEATS_LEFT.format(4), first.test_client().get(path).get_data(as_text=True))
    visitor = first.test_client()
    form = visitor.get(f"{path}/register")
    assert form.status_code == 200
    answer = visitor.post(
        f"{path}/register", data={"name": "Ada", "email": "ada@example.se", "sector": "municipality", "consent": "y"}
    )
    assert answer.status_code == 200
    with statements_of(second) as serving:
        page = second.test_client().get(path).get_data(as_text=True)
    assert serving[0] == content_version.READ and len(serving) == 2 and "event.capacity" in serving[1]
    assert re.search(SEATS_LEFT.format(3), page) and "<!--live" not in page


def test_no_copy_is_served_under_another_version(instances, make_event, prefix):
    """The Redis key holds the version, so a copy kept before a commit is not even asked for."""
    first, _ = instances
    event = make_event()
    first.test_client().get(f"/regions/{event.region.code}")  # shows both: events and people reached
    store = first.extensions["page_cache"]
    assert isinstance(store, SharedPageStore)
    keys = {key.decode() for key in redis.Redis.from_url(REDIS_URL).scan_iter(f"{prefix}*")}
    with first.app_context():
        versions = content_version.current()
    assert keys and all(key.endswith(f":{versions[1]}.{versions[2]}") for key in keys)


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of the test's own, on a free port, that the test may stop."""
    require_redis("the test stops a Redis of its own", server=True)
    server = shutil.which("redis-server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tmp_path],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 5
    while not _redis_answers(url):
        assert time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.05)
    yield url, process
    process.terminate()
    process.wait(timeout=5)


def test_pages_are_served_when_redis_stops_answering(make_app, make_event, own_redis, caplog):
    url, process = own_redis
    app = make_app(shared_config(url, "samverkan-test:"))
    client = app.test_client()
    event = make_event(title="Utan Redis")
    path = f"/events/{event.id}"
    assert client.get(path).status_code == 200
    assert redis.Redis.from_url(url).dbsize() >= 1

    process.terminate()
    process.wait(timeout=5)
    with app.app_context():
        db.session.execute(update(Event).where(Event.id == event.id).values(title="Ändrad utan Redis"))
        db.session.commit()
        db.session.remove()

    with caplog.at_level(logging.WARNING, logger="app.cache.shared_pages"):
        answer = client.get(path)
    assert answer.status_code == 200
    assert "Ändrad utan Redis" in answer.get_data(as_text=True)
    assert any("Redis does not answer" in record.getMessage() for record in caplog.records)

    # Kept in the process meanwhile: served again with the version read only.
    with statements_of(app) as serving:
        again = client.get(path)
    assert again.get_data() == answer.get_data()
    assert serving == [content_version.READ]
