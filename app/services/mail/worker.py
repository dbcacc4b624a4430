"""The mail worker's half of the outbox: claim a batch of due messages, hand them to the
SMTP server over one session, and mark them sent only after the server accepted them.
Failures are retried with exponential backoff; nothing is deleted.

Claiming is a conditional UPDATE from "queued" to "sending", so two workers can
never claim the same message; on PostgreSQL the candidates are first picked with
`FOR UPDATE SKIP LOCKED`, so workers do not wait for each other.

A message the server refuses for good is announced with the `refused_for_good` signal,
so that a higher layer can react (services.invitations marks the invitation bounced)
without this module knowing of it.
"""

import logging
import smtplib
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr

from blinker import Namespace
from flask import current_app
from sqlalchemy import Select, select, update
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import OutboxMessage, OutboxStatus
from app.models.types import utcnow
from app.services.mail.mime import build_email
from app.services.mail.smtp import ServerUnavailable, SmtpSession, is_permanent

log = logging.getLogger(__name__)

# A worker that claimed a message and did not finish within this time is presumed dead.
CLAIM_LEASE = timedelta(minutes=15)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
# About a day of retries before a message is marked failed (it is still kept).
MAX_ATTEMPTS = 30
# Messages a worker claims at a time: they share one SMTP session and two commits.
BATCH = 100
# A batch that takes longer (a slow server) gives its untried messages back, well inside the lease.
SENDING_TIME_LIMIT = CLAIM_LEASE / 3

_signals = Namespace()
# Sent with the message, inside the worker's transaction: receivers change what they
# must and do not commit; the worker commits it with the rest of the batch.
refused_for_good = _signals.signal("mail-refused-for-good")


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    kept: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed + self.kept


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _due(now: datetime, batch: int) -> Select:
    query = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(batch)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return query


def _claim(now: datetime, batch: int) -> list[int]:
    """Mark up to `batch` due messages as ours; commits, so other workers see the claim."""
    # A claim left behind by a worker that died goes back to the queue.
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < now - CLAIM_LEASE)
        .values(status=OutboxStatus.QUEUED)
    )
    candidates = list(db.session.scalars(_due(now, batch)))
    claimed: list[int] = []
    if candidates:
        # The status condition makes the claim safe without row locks (SQLite): only one
        # worker's UPDATE can move a message from queued to sending.
        claimed = list(
            db.session.scalars(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(candidates), OutboxMessage.status == OutboxStatus.QUEUED)
                .values(status=OutboxStatus.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
                .returning(OutboxMessage.id)
            )
        )
    db.session.commit()
    return sorted(claimed)


def _load(ids: list[int]) -> list[OutboxMessage]:
    """The claimed messages with their attachments: two queries for the whole batch."""
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .options(selectinload(OutboxMessage.attachments))
            .order_by(OutboxMessage.id)
        )
    )


def deliver_due(batch: int = BATCH, *, now: datetime | None = None) -> DeliveryReport:
    """Send the messages that are due; returns what happened to each.

    A batch shares one SMTP session, and what happened to its messages is written in
    one transaction at its end: a commit per message would cost more than the sending.
    A worker that dies mid-batch leaves its claims to be taken back after the lease,
    so nothing is lost, but what it had already sent goes out a second time.
    Without MAIL_SERVER nothing is sent: due messages are marked kept.
    """
    now = now or utcnow()
    if not current_app.config["MAIL_SERVER"]:
        return _keep_due(now)
    report = DeliveryReport()
    messages = _load(_claim(now, batch))
    sent: list[int] = []
    try:
        untried = _send_batch(messages, sent, now, report)
    except BaseException:
        # Whatever broke, what the server accepted is recorded as sent, not sent again.
        db.session.rollback()
        _mark_sent(sent, report)
        db.session.commit()
        raise
    _mark_sent(sent, report)
    _give_back(untried)
    db.session.commit()
    return report


def _send_batch(
    messages: list[OutboxMessage], sent: list[int], now: datetime, report: DeliveryReport
) -> list[OutboxMessage]:
    """Hand the messages to the server, adding those it accepted to `sent` and recording
    the failures; returns those left untried because the batch ran out of time."""
    _, sender = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    # Stop well inside the lease, so no other worker takes back a claim this one still uses.
    deadline = time.monotonic() + SENDING_TIME_LIMIT.total_seconds()
    # Failures are written with the rest at the end: a write now (a receiver of
    # refused_for_good reads, which would flush) would hold SQLite's write lock while the batch goes out.
    with SmtpSession(current_app.config) as session, db.session.no_autoflush:
        for position, message in enumerate(messages):
            if time.monotonic() >= deadline:
                return messages[position:]
            try:
                email = build_email(message)
            except Exception as error:  # a message that cannot be built will not improve by waiting
                _record_failure(message, error, now, report, permanent=True)
                continue
            try:
                session.send(email, sender, message.recipient)
            except ServerUnavailable as error:  # the rest of the batch waits with this message
                for waiting in messages[position:]:
                    _record_failure(waiting, error, now, report)
                return []
            except (smtplib.SMTPException, OSError, UnicodeEncodeError) as error:
                _record_failure(message, error, now, report)
            else:
                sent.append(message.id)
    return []


def _keep_due(now: datetime) -> DeliveryReport:
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .values(status=OutboxStatus.KEPT)
    )
    db.session.commit()
    return DeliveryReport(kept=result.rowcount)


def _mark_sent(ids: list[int], report: DeliveryReport) -> None:
    """One UPDATE for every message the server accepted in this batch."""
    if ids:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(status=OutboxStatus.SENT, sent_at=utcnow(), last_error="")
            .execution_options(synchronize_session=False)
        )
    report.sent += len(ids)


def _give_back(messages: list[OutboxMessage]) -> None:
    """Return claimed messages that were not tried to the queue, due at once, the attempt uncounted."""
    if messages:
        log.warning("mail server is slow: %d claimed messages go back to the queue", len(messages))
        for message in messages:
            message.status = OutboxStatus.QUEUED
            message.attempts -= 1


def _record_failure(
    message: OutboxMessage, error: Exception, now: datetime, report: DeliveryReport, *, permanent: bool = False
) -> None:
    description = f"{type(error).__name__}: {error}"[:2000]
    message.last_error = description
    report.errors.append(f"{message.id} {message.recipient}: {description}")
    if permanent or is_permanent(error) or message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
        report.failed += 1
        log.warning("mail %s to %s failed for good: %s", message.id, message.recipient, description)
        if is_permanent(error):
            # The address does not exist: whoever sent to it hears of it (an invitation is marked bounced).
            refused_for_good.send(message)
    else:
        message.status = OutboxStatus.QUEUED
        message.next_attempt_at = now + retry_delay(message.attempts)
        report.retrying += 1
        log.info("mail %s to %s will be retried: %s", message.id, message.recipient, description)
