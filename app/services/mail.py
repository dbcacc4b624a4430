"""Outgoing mail through the outbox.

`enqueue` renders a message in the recipient's language and adds it to the session
without committing: the service that caused the mail commits it together with its
change, so a registration and its confirmation are saved together or not at all.
`deliver_due` is the worker's half: it claims a batch of due messages, hands them to
the SMTP server over one session and marks them sent only after the server accepted
them. Failures are retried with exponential backoff; nothing is deleted.

Claiming is a conditional UPDATE from "queued" to "sending", so two workers can
never claim the same message; on PostgreSQL the candidates are first picked with
`FOR UPDATE SKIP LOCKED`, so workers do not wait for each other.
"""

import logging
import re
import secrets
import smtplib
import ssl
import time
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import encoders
from email.charset import BASE64, QP, Charset
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid, parseaddr

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy import Select, select, update
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Event, OutboxAttachment, OutboxMessage, OutboxStatus, Registration, User
from app.models.tokens import TOKEN_IN_TEXT
from app.models.types import utcnow
from app.services.bulk import bulk_insert

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


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


def ics_attachment(data: bytes, *, method: str = "REQUEST", filename: str = "event.ics") -> Attachment:
    """A calendar file as mail programs expect it, so they offer to add or remove the entry."""
    return Attachment(filename, f"text/calendar; method={method}; charset=utf-8", data)


@contextmanager
def links_context():
    """Make `url_for(..., _external=True)` give links to the public address of the site.

    Links in mail must not depend on which host a request came through (a proxy, a
    worker with no request at all), so they are built against BASE_URL.
    """
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        yield


@contextmanager
def _email_context(locale: str):
    """Render in the recipient's language, with links to the public address of the site."""
    with links_context(), force_locale(locale):
        yield


def render(template: str, locale: str, subject, context: dict) -> tuple[str, str, str]:
    """The subject, text and HTML of one email in one language."""
    with _email_context(locale):
        context = {**context, "locale": locale}
        return (
            " ".join(str(subject).split())[:300],
            render_template(f"email/{template}.txt", **context),
            render_template(f"email/{template}.html", **context),
        )


def enqueue(
    to: str,
    template: str,
    *,
    locale: str,
    subject,
    attachments: Iterable[Attachment] = (),
    event: Event | None = None,
    registration: Registration | None = None,
    to_name: str = "",
    **context,
) -> OutboxMessage:
    """Queue one email; the caller commits it with the change that caused it.

    `subject` may be a lazy translation: it is resolved in the recipient's `locale`.
    The templates `templates/email/<template>.txt` and `.html` get `context`, `event`
    and `registration`; the message is listed with that event and registration.
    """
    message = prepare(to, template, locale=locale, subject=subject, attachments=attachments, event=event,
                      registration=registration, to_name=to_name, **context)
    db.session.add(message)
    return message


def prepare(
    to: str,
    template: str,
    *,
    locale: str,
    subject,
    attachments: Iterable[Attachment] = (),
    event: Event | None = None,
    registration: Registration | None = None,
    to_name: str = "",
    **context,
) -> OutboxMessage:
    """An email rendered as `enqueue` does, not yet queued: add it to the session to queue
    it. For a caller that renders before taking a lock and queues under it."""
    if locale not in current_app.config["LANGUAGES"]:
        locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    context = {**context, "event": event, "registration": registration}
    subject_text, text, html = render(template, locale, subject, context)
    _, sender = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    message = OutboxMessage(
        recipient=to,
        recipient_name=to_name[:200],
        subject=subject_text,
        body_text=text,
        body_html=html,
        locale=locale,
        template=template,
        message_id=make_msgid(domain=sender.rpartition("@")[2] or None),
        status=OutboxStatus.QUEUED if current_app.config["MAIL_SERVER"] else OutboxStatus.KEPT,
        attempts=0,
        next_attempt_at=utcnow(),
        last_error="",
        event=event,
        registration=registration,
        attachments=[
            OutboxAttachment(filename=a.filename, content_type=a.content_type, data=a.data) for a in attachments
        ],
    )
    return message


@dataclass
class Recipient:
    """One addressee of a mail merge, with the values only their message holds (name, tokens)."""

    address: str
    locale: str
    values: dict[str, str]
    name: str = ""


class _Placeholders:
    """Stands in for a recipient while a merge template is rendered once for all of them."""

    def __init__(self, keys, filled: frozenset[str], nonce: str):
        self._marks = {key: f"MERGE{nonce}{index}X" if key in filled else "" for index, key in enumerate(keys)}

    def __getattr__(self, key: str) -> str:
        try:
            return self._marks[key]
        except KeyError:
            raise AttributeError(key) from None

    def fill(self, rendered: str, values: dict[str, str], *, html: bool) -> str:
        for key, mark in self._marks.items():
            if mark:
                value = values[key]
                rendered = rendered.replace(mark, str(escape(value)) if html else value)
        return rendered


def enqueue_many(template: str, recipients: Iterable[Recipient], *, subject, event: Event | None = None,
                 **context) -> int:
    """Queue one personal email to each recipient; the caller commits. Returns the number queued.

    A mail merge: each template is rendered once per language (and per set of empty
    values), with placeholders for `recipient.<value>` that are then filled in per
    message, so thousands of invitations are queued in a moment. The templates may
    print a recipient's values and test whether one is empty, nothing else. Values
    are escaped in the HTML part. The messages are added with one bulk insert.
    """
    languages = current_app.config["LANGUAGES"]
    nonce = secrets.token_hex(8)
    rendered: dict[tuple, tuple[_Placeholders, str, str, str]] = {}
    status = OutboxStatus.QUEUED if current_app.config["MAIL_SERVER"] else OutboxStatus.KEPT
    _, sender = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    domain = sender.rpartition("@")[2] or None
    now = utcnow()
    rows = []
    for recipient in recipients:
        locale = recipient.locale if recipient.locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
        keys = tuple(sorted(recipient.values))
        filled = frozenset(key for key in keys if recipient.values[key])
        variant = (locale, keys, filled)
        if variant not in rendered:
            placeholders = _Placeholders(keys, filled, nonce)
            rendered[variant] = (placeholders, *render(
                template, locale, subject, {**context, "event": event, "registration": None, "recipient": placeholders}
            ))
        placeholders, subject_text, text, html = rendered[variant]
        rows.append(dict(
            recipient=recipient.address, recipient_name=recipient.name[:200], subject=subject_text,
            body_text=placeholders.fill(text, recipient.values, html=False),
            body_html=placeholders.fill(html, recipient.values, html=True),
            locale=locale, template=template, message_id=make_msgid(domain=domain), status=status,
            attempts=0, next_attempt_at=now, last_error="", created_at=now,
            event_id=event.id if event else None,
        ))
    bulk_insert(OutboxMessage, rows)
    return len(rows)


def build_email(message: OutboxMessage) -> Message:
    """The MIME message: text and HTML alternatives, then the attachments.

    Built from the standard library's plain MIME classes, which with sending take
    under a third of the time of `EmailMessage` and its header parsing: at hundreds
    of messages a second that was most of a worker's work. An address beyond ASCII
    needs SMTPUTF8, which only `EmailMessage` speaks, so such a message is built that way.
    """
    sender_name, sender = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    if not (message.recipient.isascii() and sender.isascii()):
        return _international_email(message)
    email = MIMEMultipart("alternative", _subparts=[
        MIMEText(message.body_text, "plain", _UTF8),
        MIMEText(message.body_html, "html", _UTF8),
    ])
    if message.attachments:
        email = MIMEMultipart("mixed", _subparts=[email, *map(_attachment_part, message.attachments)])
    email["From"] = _address_header(sender_name, sender)
    email["To"] = _address_header(message.recipient_name, message.recipient)
    subject = _one_line(message.subject)
    email["Subject"] = subject if subject.isascii() else Header(subject, _UTF8)
    _add_fixed_headers(email, message)
    return email


def _add_fixed_headers(email: Message, message: OutboxMessage) -> None:
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = message.message_id
    email["Content-Language"] = message.locale
    # Tell autoresponders this is machine-sent, so they do not answer it.
    email["Auto-Submitted"] = "auto-generated"


# Quoted-printable keeps the Swedish text readable in a mail program's source view and
# every line short and 7-bit, whatever the server supports. Headers beyond ASCII are
# base64-encoded: the standard library folds those at a fraction of the cost.
_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP
_UTF8.header_encoding = BASE64


def _attachment_part(attachment: OutboxAttachment) -> MIMEBase:
    main, _, rest = attachment.content_type.partition("/")
    subtype, *params = [part.strip() for part in rest.split(";")]
    part = MIMEBase(main, subtype, **dict(param.split("=", 1) for param in params if "=" in param))
    part.set_payload(attachment.data)
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
    return part


def _one_line(text: str) -> str:
    """A header value cannot hold line breaks or control characters: they could add headers."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _address_header(name: str, address: str) -> str:
    # One encoded word for a name beyond ASCII: parsers differ on the space between several.
    return formataddr((_one_line(name), address), _UTF8)


def _international_email(message: OutboxMessage) -> EmailMessage:
    """The message for an address that needs SMTPUTF8 (rare; slower, see build_email)."""
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    try:
        email["To"] = str(Address(display_name=_one_line(message.recipient_name), addr_spec=message.recipient))
    except (ValueError, IndexError):  # a name the header syntax cannot hold as it is
        email["To"] = message.recipient
    email["Subject"] = _one_line(message.subject)
    _add_fixed_headers(email, message)
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    for attachment in message.attachments:
        main, _, rest = attachment.content_type.partition("/")
        subtype, *params = [part.strip() for part in rest.split(";")]
        email.add_attachment(
            attachment.data, maintype=main, subtype=subtype, filename=attachment.filename,
            params=dict(p.split("=", 1) for p in params if "=" in p and not p.startswith("charset")),
        )
    return email


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
        claimed = list(db.session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(candidates), OutboxMessage.status == OutboxStatus.QUEUED)
            .values(status=OutboxStatus.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
            .returning(OutboxMessage.id)
        ))
    db.session.commit()
    return sorted(claimed)


def _load(ids: list[int]) -> list[OutboxMessage]:
    """The claimed messages with their attachments: two queries for the whole batch."""
    if not ids:
        return []
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids))
        .options(selectinload(OutboxMessage.attachments)).order_by(OutboxMessage.id)
    ))


class ServerUnavailable(Exception):
    """No SMTP session could be opened; the error that prevented it is the cause."""


class _Session:
    """One SMTP session for a whole batch, opened when first needed: connecting and
    greeting the server costs more than handing it a message."""

    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "_Session":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def send(self, email: Message, sender: str, recipient: str) -> None:
        """Hand one message to the server, or raise why it was not accepted."""
        reused = self.smtp is not None
        try:
            self._hand_over(email, sender, recipient)
        except (smtplib.SMTPException, OSError) as error:
            if not (reused and _closed_by_server(error)):
                raise
            # Servers end idle sessions and limit the messages per session: a new session, once.
            self._hand_over(email, sender, recipient)

    def _hand_over(self, email: Message, sender: str, recipient: str) -> None:
        if self.smtp is None:
            self.smtp = self._open()
        try:
            refused = self.smtp.send_message(email, sender, [recipient])
        except Exception as error:
            if not _session_goes_on(error, self.smtp):
                self.drop()
            raise
        if refused:  # only possible with several recipients, but never mark a refusal as sent
            raise smtplib.SMTPRecipientsRefused(refused)

    def _open(self) -> smtplib.SMTP:
        c = self.config
        try:
            if c["MAIL_USE_SSL"]:
                smtp = smtplib.SMTP_SSL(
                    c["MAIL_SERVER"], c["MAIL_PORT"], timeout=c["MAIL_TIMEOUT"], context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(c["MAIL_SERVER"], c["MAIL_PORT"], timeout=c["MAIL_TIMEOUT"])
        except (smtplib.SMTPException, OSError) as error:
            raise ServerUnavailable(f"{type(error).__name__}: {error}") from error
        try:
            # Greeted here, so that a server refusing sessions holds back the batch, not one message.
            smtp.ehlo_or_helo_if_needed()
            if c["MAIL_USE_TLS"] and not c["MAIL_USE_SSL"]:
                smtp.starttls(context=ssl.create_default_context())
            if c["MAIL_USERNAME"]:
                smtp.login(c["MAIL_USERNAME"], c["MAIL_PASSWORD"])
        except (smtplib.SMTPException, OSError) as error:
            smtp.close()
            raise ServerUnavailable(f"{type(error).__name__}: {error}") from error
        except BaseException:
            smtp.close()
            raise
        return smtp

    def drop(self) -> None:
        """Forget a session that failed, so the next message starts a fresh one."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            finally:
                self.drop()


def _codes(error: Exception) -> list[int]:
    """The SMTP reply codes an error carries."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return [code for code, _ in error.recipients.values()]
    if isinstance(error, smtplib.SMTPResponseException):
        return [error.smtp_code]
    return []


def _session_goes_on(error: Exception, smtp: smtplib.SMTP) -> bool:
    """After refusing one message the server is ready for the next (smtplib has sent RSET)."""
    refusal = (smtplib.SMTPSenderRefused, smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)
    return isinstance(error, refusal) and smtp.sock is not None


def _closed_by_server(error: Exception) -> bool:
    """The server ended the session (421, or gone) rather than refusing the message."""
    return isinstance(error, (smtplib.SMTPServerDisconnected, ConnectionError)) or 421 in _codes(error)


def _is_permanent(error: Exception) -> bool:
    """A 5xx answer about this message will not change by trying again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code in _codes(error))
    if isinstance(error, smtplib.SMTPResponseException) and not isinstance(
        error, (smtplib.SMTPServerDisconnected, smtplib.SMTPAuthenticationError)
    ):
        return 500 <= error.smtp_code < 600
    return isinstance(error, (smtplib.SMTPNotSupportedError, UnicodeEncodeError))


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


def _send_batch(messages: list[OutboxMessage], sent: list[int], now: datetime,
                report: DeliveryReport) -> list[OutboxMessage]:
    """Hand the messages to the server, adding those it accepted to `sent` and recording
    the failures; returns those left untried because the batch ran out of time."""
    _, sender = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    # Stop well inside the lease, so no other worker takes back a claim this one still uses.
    deadline = time.monotonic() + SENDING_TIME_LIMIT.total_seconds()
    # Failures are written with the rest at the end: a write now (marking an invitation
    # bounced reads, which would flush) would hold SQLite's write lock while the batch goes out.
    with _Session(current_app.config) as session, db.session.no_autoflush:
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
            update(OutboxMessage).where(OutboxMessage.id.in_(ids))
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
    if permanent or _is_permanent(error) or message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
        report.failed += 1
        log.warning("mail %s to %s failed for good: %s", message.id, message.recipient, description)
        if _is_permanent(error):
            # The address does not exist: an invitation sent to it is marked bounced.
            from app.services.invitations import bounce_for_message

            bounce_for_message(message)
    else:
        message.status = OutboxStatus.QUEUED
        message.next_attempt_at = now + retry_delay(message.attempts)
        report.retrying += 1
        log.info("mail %s to %s will be retried: %s", message.id, message.recipient, description)


def retry(message: OutboxMessage) -> None:
    """Queue a failed or kept message again, at once (an organiser's "try again")."""
    message.status = OutboxStatus.QUEUED if current_app.config["MAIL_SERVER"] else OutboxStatus.KEPT
    message.next_attempt_at = utcnow()
    message.attempts = 0
    db.session.commit()


def messages_query(user: User, event: Event | None = None) -> Select:
    """The messages a user may read, newest first: those of events they manage (all for an admin)."""
    query = (
        select(OutboxMessage)
        .options(selectinload(OutboxMessage.event), selectinload(OutboxMessage.attachments).load_only(
            OutboxAttachment.id, OutboxAttachment.filename, OutboxAttachment.message_id))
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )
    if event is not None:
        query = query.where(OutboxMessage.event_id == event.id)
    if not user.is_admin:
        query = query.where(OutboxMessage.event.has(Event.organisers.any(User.id == user.id)))
    return query


def can_read(user: User, message: OutboxMessage) -> bool:
    from app.services.events import can_manage

    if user.is_admin:
        return True
    return message.event is not None and can_manage(user, message.event)


_URL = re.compile(r"https?://[^\s<>\"']+")


# What organisers see instead of a personal link's token: they may read a message, not
# act as its recipient (open, change or cancel someone's registration, answer for them).
MASK = "••••••"


def masked(text: str) -> str:
    """The message with every personal link's token hidden."""
    return TOKEN_IN_TEXT.sub(MASK, text)


def links_in(text: str) -> list[str]:
    """The web addresses in a (masked) message, so an organiser can follow them from the mail page."""
    seen: dict[str, None] = {}
    for match in _URL.finditer(text):
        seen.setdefault(match.group(0).rstrip(".,;:)"), None)
    return list(seen)


def enqueue_test_message(address: str, locale: str) -> OutboxMessage:
    """Queue a test message to check the mail settings."""
    from flask_babel import lazy_gettext as _l

    from app.services.users import normalise_email

    message = enqueue(normalise_email(address), "test", locale=locale, subject=_l("Test message from Samverkan"))
    db.session.commit()
    return message
