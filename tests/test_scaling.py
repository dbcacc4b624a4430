"""Growing past one machine: two app processes and two mail workers share one
PostgreSQL. No double registration, no overbooking, no mail sent twice."""

import os
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import OutboxMessage, OutboxStatus, Registration, RegistrationStatus
from tests.conftest import require_postgres
from tests.mailserver import MailServer, free_port
from tests.visitor import Visitor

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _environment(app, mail_port: int) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "scaling-test",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(mail_port),
        "BASE_URL": "http://127.0.0.1",
        # Every test visitor comes from 127.0.0.1; people come from addresses of their own.
        "PUBLIC_FORM_RATE_LIMIT": "1000 per minute",
    }


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"app process exited: {process.stdout.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{base} did not start")


@pytest.fixture
def processes():
    started: list[subprocess.Popen] = []

    def start(*args, env):
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        started.append(process)
        return process

    yield start
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def _register(base: str, event_id: int, email: str) -> int:
    """One person in a browser of their own: opens the form, sends it with its token."""
    with Visitor(base) as visitor:
        fields = {"name": "Deltagare", "email": email, "sector": "municipality", "consent": "y"}
        return visitor.submit(f"/events/{event_id}/register", fields).status


def test_two_app_processes_and_two_workers_share_one_postgresql(app, make_event, processes):
    require_postgres("several processes share the database; SQLite is for one machine")
    event_id = make_event(capacity=5).id
    server = MailServer()
    server.start()
    try:
        env = _environment(app, server.port)
        bases = []
        for _ in range(2):
            port = free_port()
            process = processes(
                str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "tests.scaling_app:app", env=env
            )
            bases.append(f"http://127.0.0.1:{port}")
            _wait_until_up(bases[-1], process)

        # 30 people at once across both processes, and one person clicking twice, once on each.
        attempts = [(bases[i % 2], f"person{i}@example.se") for i in range(30)]
        attempts += [(bases[0], "twice@example.se"), (bases[1], "twice@example.se")]
        with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
            statuses = list(pool.map(lambda attempt: _register(attempt[0], event_id, attempt[1]), attempts))
        assert all(status == 200 for status in statuses), Counter(statuses)

        db.session.expire_all()
        rows = db.session.scalars(select(Registration).where(Registration.event_id == event_id)).all()
        assert sorted(row.email for row in rows).count("twice@example.se") == 1, sorted(r.email for r in rows)
        assert len(rows) == 31, Counter(row.email for row in rows).most_common(3)  # one for the double click
        counts = Counter(row.status for row in rows)
        assert counts[RegistrationStatus.CONFIRMED] == 5  # never overbooked
        assert counts[RegistrationStatus.WAITLISTED] == 26

        queued = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        assert queued == 32  # 31 confirmations or waiting-list notes, and the link mailed again on the second click
        for _ in range(2):
            processes(
                str(BIN / "flask"),
                "--app",
                "tests.scaling_app",
                "mail-worker",
                "--interval",
                "0.2",
                "--batch",
                "3",
                env=env,
            )
        deadline = time.monotonic() + 60
        while len(server.messages) < queued and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # a duplicate, if any, would arrive now
        ids = Counter(message["Message-ID"] for message in server.messages)
        assert len(ids) == queued and set(ids.values()) == {1}, "every message exactly once"
        db.session.expire_all()
        assert (
            db.session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != OutboxStatus.SENT)
            )
            == 0
        )
    finally:
        server.stop()
