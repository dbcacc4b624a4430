"""How fast the mail worker delivers: 5,000 queued messages to a real SMTP server on
loopback, with one worker and then with two (target: 200 messages per second per worker).

Every email is stored in the outbox first and sent by `flask --app wsgi mail-worker`;
after a registration wave or a mass invitation the queue must drain in seconds.
The SMTP server (aiosmtpd) runs in its own process and records when the first and
the last message arrived and how many distinct Message-IDs it saw, so a message
sent twice by two workers shows up as a duplicate. Other mail the worker finds due
meanwhile (reminders for the generated participants) is delivered and counted apart.
The workers' CPU time per message is reported too: unlike messages per second, it
stays comparable when the machine is busy with other work.
"""

import multiprocessing
import os
import secrets
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, func, select

from bench.context import BenchContext, failed, not_available
from bench.server import free_port
from config import BASE_DIR

MESSAGES = 5_000
BODY_TEXT = (
    "Hej!\n\nDu är anmäld till Inspirationsdag om validering i Linköping.\n"
    "Ändra eller avboka din anmälan här: https://samverkan.example.com/r/TOKEN\n\n"
) * 8
BODY_HTML = "<p>" + BODY_TEXT.replace("\n\n", "</p><p>") + "</p>"


def outbox_message_row(n: int, now: datetime) -> dict:
    """One queued message; adjust the columns here when the outbox model changes."""
    return {
        "recipient": f"mottagare.{n}@bench.example.com",
        "recipient_name": f"Mottagare {n}",
        "subject": "Bekräftelse: Inspirationsdag om validering",
        "body_text": BODY_TEXT,
        "body_html": BODY_HTML,
        "locale": "sv",
        "template": "bench",
        "message_id": f"<bench-{n}-{secrets.token_hex(8)}@samverkan.localhost>",
        "status": "queued",
        "attempts": 0,
        "next_attempt_at": now,
        "claimed_at": None,
        "last_error": "",
        "sent_at": None,
        "created_at": now,
        "event_id": None,
    }


def _smtp_sink(port: int, ready, stop, count, unique, other, first, last) -> None:
    from aiosmtpd.controller import Controller

    seen: set[str] = set()

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            now = time.time()
            header = next(
                (line for line in envelope.content.split(b"\r\n", 60) if line.lower().startswith(b"message-id:")), b""
            )
            if b"<bench-" not in header:
                # Mail the worker found due meanwhile (reminders for the generated participants).
                with other.get_lock():
                    other.value += 1
                return "250 Message accepted for delivery"
            seen.add(header.decode(errors="replace"))
            with count.get_lock():
                if count.value == 0:
                    first.value = now
                count.value += 1
                unique.value = len(seen)
                last.value = now
            return "250 Message accepted for delivery"

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def _deliver(ctx: BenchContext, workers: int) -> dict:
    from app.extensions import db
    from app.models import OutboxMessage
    from app.models.types import utcnow
    from bench.generate import insert_rows

    table = OutboxMessage.__table__
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.template == "bench"))
    db.session.commit()
    now = utcnow()
    with db.engine.begin() as conn:
        insert_rows(conn, table, (outbox_message_row(n, now) for n in range(MESSAGES)), f"outbox ({workers} worker)")

    mp = multiprocessing.get_context("spawn")
    port = free_port()
    ready, stop = mp.Event(), mp.Event()
    count, unique, other = mp.Value("i", 0), mp.Value("i", 0), mp.Value("i", 0)
    first, last = mp.Value("d", 0.0), mp.Value("d", 0.0)
    sink = mp.Process(target=_smtp_sink, args=(port, ready, stop, count, unique, other, first, last))
    sink.start()
    ready.wait(30)
    env = {
        **os.environ,
        "SAMVERKAN_CONFIG": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": ctx.database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port),
    }
    started = time.time()
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "mail-worker", "--interval", "0.2"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    deadline = started + 600
    while count.value < MESSAGES and time.time() < deadline and all(p.poll() is None for p in processes):
        time.sleep(0.1)
    time.sleep(1)  # time for a duplicate to arrive, if a message were sent twice
    cpu_seconds = sum(_cpu_seconds(process.pid) for process in processes)
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(30)
    stop.set()
    sink.join(30)
    statuses = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.template == "bench")
            .group_by(OutboxMessage.status)
        )
        .tuples()
        .all()
    )
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.template == "bench"))
    db.session.commit()
    spread = max(last.value - first.value, 1e-6)
    return {
        "workers": workers,
        "received": count.value,
        "distinct": unique.value,
        "duplicates": count.value - unique.value,
        "other_mail_delivered": other.value,
        "seconds_total": round(last.value - started, 2) if count.value else None,
        "messages_per_second": round((count.value - 1) / spread) if count.value > 1 else 0,
        "per_worker": round((count.value - 1) / spread / workers) if count.value > 1 else 0,
        # Start-up included (importing the app is a few hundred ms).
        "worker_cpu_seconds": round(cpu_seconds, 2),
        "cpu_ms_per_message": round(cpu_seconds * 1000 / count.value, 2) if count.value else None,
        "outbox_statuses": {getattr(status, "value", status): n for status, n in statuses.items()},
    }


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time a running process has used so far (Linux), 0 when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_mail_delivery(ctx: BenchContext) -> dict:
    import app.models
    from app.cli import COMMANDS

    if not hasattr(app.models, "OutboxMessage"):
        return not_available("no app.models.OutboxMessage")
    if "mail-worker" not in {command.name for command in COMMANDS}:
        return not_available("no `flask mail-worker` command")
    try:
        import aiosmtpd  # noqa: F401  (requirements-dev.txt)
    except ImportError:
        return not_available("aiosmtpd is not installed (make install-dev)")
    with ctx.app.app_context():
        try:
            return {"status": "measured", "messages": MESSAGES, "runs": [_deliver(ctx, workers) for workers in (1, 2)]}
        except Exception as error:  # report a mismatch with the feature, never stop the run
            return failed(error)
