"""Composing one email: rendered in the recipient's language from the paired templates
`templates/email/<name>.txt` and `.html`, and queued in the outbox without committing.

The service that caused the mail commits it together with its change, so a registration
and its confirmation are saved together or not at all.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from email.utils import make_msgid, parseaddr

from flask import current_app, has_request_context, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Event, OutboxAttachment, OutboxMessage, OutboxStatus, Registration
from app.models.types import utcnow
from app.services.text import normalise_email

# Set while demo data is loaded: the services run as they do for real, but what they would
# mail is not queued at all, not even kept (demo people at reserved domains get no mail).
_nothing_queued: ContextVar[bool] = ContextVar("nothing_queued", default=False)


@contextmanager
def nothing_queued():
    """Run services without queuing any of the mail they cause (for demo data)."""
    token = _nothing_queued.set(True)
    try:
        yield
    finally:
        _nothing_queued.reset(token)


def queuing() -> bool:
    """Whether mail is queued now (False inside `nothing_queued`)."""
    return not _nothing_queued.get()


def queue(message: OutboxMessage) -> OutboxMessage:
    """Add a prepared message to the outbox; the caller commits it with its change."""
    if queuing():
        db.session.add(message)
    return message


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


def ics_attachment(data: bytes, *, method: str = "REQUEST", filename: str = "event.ics") -> Attachment:
    """A calendar file as mail programs expect it, so they offer to add or remove the entry."""
    return Attachment(filename, f"text/calendar; method={method}; charset=utf-8", data)


# Marks the request a links_context made, so one inside it makes none of its own.
LINKS_CONTEXT = "samverkan.links_context"


@contextmanager
def links_context():
    """Make `url_for(..., _external=True)` give links to the public address of the site.

    Links in mail must not depend on which host a request came through (a proxy, a
    worker with no request at all), so they are built against BASE_URL. Inside one
    already (a mail and its calendar file), the same is used again.
    """
    if has_request_context() and request.environ.get(LINKS_CONTEXT):
        yield
        return
    base_url = current_app.config["BASE_URL"]
    with current_app.test_request_context(base_url=base_url, environ_overrides={LINKS_CONTEXT: True}):
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
    message = prepare(
        to,
        template,
        locale=locale,
        subject=subject,
        attachments=attachments,
        event=event,
        registration=registration,
        to_name=to_name,
        **context,
    )
    return queue(message)


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
    message = OutboxMessage(
        recipient=to,
        recipient_name=to_name[:200],
        subject=subject_text,
        body_text=text,
        body_html=html,
        locale=locale,
        reply_to=reply_to(event),
        template=template,
        message_id=message_id(),
        status=initial_status(),
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


def reply_to(event: Event | None) -> str:
    """Where replies to a mail about an event go: its contact, a person who reads them."""
    return event.contact_email if event is not None else ""


def initial_status() -> OutboxStatus:
    """Queued for the worker, or kept unsent when no mail server is configured."""
    return OutboxStatus.QUEUED if current_app.config["MAIL_SERVER"] else OutboxStatus.KEPT


def message_id() -> str:
    """A new Message-ID in the sender's domain."""
    _, sender = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    return make_msgid(domain=sender.rpartition("@")[2] or None)


def retry(message: OutboxMessage) -> None:
    """Queue a failed or kept message again, at once (an organiser's "try again")."""
    message.status = initial_status()
    message.next_attempt_at = utcnow()
    message.attempts = 0
    db.session.commit()


def enqueue_test_message(address: str, locale: str) -> OutboxMessage:
    """Queue a test message to check the mail settings."""
    message = enqueue(normalise_email(address), "test", locale=locale, subject=_l("Test message from Samverkan"))
    db.session.commit()
    return message
