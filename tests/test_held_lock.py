"""One held lock must not freeze the site. The app runs as deployed (gunicorn with
deploy/gunicorn.conf.py, production configuration, PostgreSQL, visitors coming through
the TLS proxy's headers), while another connection holds one event's row for 45 s:
people keep trying to register for that event, others browse and register elsewhere,
a monitor polls /healthz.

Other pages keep a p95 under 200 ms, /healthz answers within a second, every
registration for the held event gets the "busy, try again" page with Retry-After
within 5 s, and gunicorn kills no worker."""

import os
import re
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
from sqlalchemy import func, select

from app.extensions import db
from app.models import Registration
from tests.conftest import require_postgres
from tests.mailserver import free_port
from tests.visitor import Visitor

ROOT = Path(__file__).resolve().parents[1]
HOLD_SECONDS = 45
# People trying to register for the held event at any moment: more than the workers
# the recipe starts on two cores (2 x 2 + 1), so sync workers would all be taken.
REGISTRANTS = 6
READERS = 3
# What gunicorn logs when it kills or loses a worker.
WORKER_KILLED = re.compile(r"WORKER TIMEOUT|was sent SIG|exited with code|Worker failed to boot")


def _start_gunicorn(database_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "SAMVERKAN_CONFIG": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    for name in (
        "FLASK_DEBUG",
        "GUNICORN_THREADS",
        "GUNICORN_WORKER_CLASS",
        "DATABASE_LOCK_TIMEOUT_MS",
        "DATABASE_STATEMENT_TIMEOUT_MS",
        "PUBLIC_FORM_RATE_LIMIT",
    ):
        env.pop(name, None)  # the recipe's own settings, not the caller's
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            with Visitor(base, timeout=2) as visitor:
                if visitor.get("/healthz").status == 200:
                    return process, base
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise AssertionError(f"gunicorn did not start: {log.read_text()}")


def _p95(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return ordered[round(0.95 * (len(ordered) - 1))]


class Addresses:
    """A new client address per visitor, so each is its own person to the rate limits."""

    def __init__(self) -> None:
        self._n = 0
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            self._n += 1
            return f"10.{self._n // 65536 % 256}.{self._n // 256 % 256}.{self._n % 256}"


def _registration(n: int) -> dict:
    return {"name": f"Deltagare {n}", "email": f"person{n}@example.se", "sector": "municipality", "consent": "y"}


def test_one_held_event_row_does_not_freeze_the_site(app, make_event, tmp_path):
    require_postgres("the lock is a PostgreSQL row lock, and production runs on PostgreSQL")
    held, other = make_event(capacity=500), make_event(capacity=500)
    held_id, other_id = held.id, other.id
    log = tmp_path / "gunicorn.log"
    process, base = _start_gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], log)
    addresses = Addresses()
    numbers = iter(range(10**9))
    pages = [
        "/",
        "/events",
        f"/events/{other_id}",
        f"/events/{held_id}",
        f"/api/v1/events/{held_id}",
        f"/events/{other_id}/register",
    ]
    readings: list[float] = []
    health: list[float] = []
    registration_answers: list[tuple[int, str | None, float]] = []
    elsewhere: list[int] = []
    problems: list[str] = []
    held_now, stop, release = threading.Event(), threading.Event(), threading.Event()

    def hold() -> None:
        with psycopg.connect(app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg", "")) as holder:
            holder.execute("SELECT id FROM event WHERE id = %s FOR UPDATE", (held_id,))
            held_now.set()
            release.wait(HOLD_SECONDS)
            holder.rollback()

    def guarded(work):
        def run() -> None:
            try:
                held_now.wait()
                while not stop.is_set():
                    work()
            except Exception as error:  # noqa: BLE001 (reported by the test)
                problems.append(repr(error))

        return run

    def register_for_held_event() -> None:
        with Visitor(base, client_address=addresses.next(), https=True) as visitor:
            answer = visitor.submit(f"/events/{held_id}/register", _registration(next(numbers)))
        registration_answers.append((answer.status, answer.headers.get("Retry-After"), answer.seconds))

    def browse() -> None:
        with Visitor(base, client_address=addresses.next(), https=True) as visitor:
            for path in pages:
                readings.append(visitor.get(path).seconds)
            # Registering for another event goes on as usual.
            answer = visitor.submit(f"/events/{other_id}/register", _registration(next(numbers)))
        readings.append(answer.seconds)
        elsewhere.append(answer.status)
        time.sleep(0.1)

    def monitor() -> None:
        with Visitor(base, timeout=5) as visitor:
            health.append(visitor.get("/healthz").seconds)
        time.sleep(0.5)

    holder = threading.Thread(target=hold)
    workers = [threading.Thread(target=guarded(register_for_held_event)) for _ in range(REGISTRANTS)]
    workers += [threading.Thread(target=guarded(browse)) for _ in range(READERS)]
    workers.append(threading.Thread(target=guarded(monitor)))
    try:
        holder.start()
        for thread in workers:
            thread.start()
        # Stop a few seconds before the lock goes, so every registration counted waited on it.
        time.sleep(HOLD_SECONDS - 6)
        stop.set()
        for thread in workers:
            thread.join(timeout=30)
        holder.join(timeout=30)  # the full 45 s
        gunicorn_log = log.read_text()
        # The lock gone, the same form registers again.
        with Visitor(base, client_address=addresses.next(), https=True) as visitor:
            after = visitor.submit(f"/events/{held_id}/register", _registration(next(numbers)))
    finally:
        stop.set()
        release.set()
        process.terminate()
        process.wait(timeout=30)

    assert not problems, problems
    assert registration_answers and readings and health
    statuses = {status for status, _, _ in registration_answers}
    assert statuses == {503}, statuses
    assert {retry_after for _, retry_after, _ in registration_answers} == {"5"}
    slowest_busy = max(seconds for _, _, seconds in registration_answers)
    assert slowest_busy < 5, slowest_busy
    assert set(elsewhere) == {200}, elsewhere
    assert _p95(readings) < 0.2, f"p95 {_p95(readings):.3f} s over {len(readings)} requests"
    assert max(health) < 1, max(health)
    assert not WORKER_KILLED.search(gunicorn_log), WORKER_KILLED.search(gunicorn_log).group(0)
    assert "Busy: a lock wait ran out in POST registrations.register" in gunicorn_log
    assert after.status == 200
    db.session.expire_all()
    assert (
        db.session.scalar(select(func.count()).select_from(Registration).where(Registration.event_id == held_id)) == 1
    )
    print(
        f"{len(registration_answers)} busy answers (slowest {slowest_busy:.2f} s), {len(readings)} other "
        f"requests (p95 {_p95(readings) * 1000:.0f} ms), /healthz at most {max(health) * 1000:.0f} ms"
    )
