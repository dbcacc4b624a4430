"""Mail merge: one personal email to each of many recipients (invitations, reminders),
rendered once per language and queued with one bulk insert."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app, url_for
from markupsafe import escape

from app.models import Event, OutboxMessage
from app.models.types import utcnow
from app.services.bulk import bulk_insert
from app.services.mail.compose import initial_status, links_context, message_id, queuing, render, reply_to


@dataclass
class Recipient:
    """One addressee of a mail merge, with the values only their message holds (name, tokens)."""

    address: str
    locale: str
    values: dict[str, str]
    name: str = ""
    # The token of the recipient's one-click unsubscribe link (List-Unsubscribe), if any.
    unsubscribe_token: str = ""


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


def enqueue_many(
    template: str,
    recipients: Iterable[Recipient],
    *,
    subject,
    event: Event | None = None,
    unsubscribe_endpoint: str = "",
    **context,
) -> int:
    """Queue one personal email to each recipient; the caller commits. Returns the number queued.

    A mail merge: each template is rendered once per language (and per set of empty
    values), with placeholders for `recipient.<value>` that are then filled in per
    message, so thousands of invitations are queued in a moment. The templates may
    print a recipient's values and test whether one is empty, nothing else. Values
    are escaped in the HTML part. The messages are added with one bulk insert.

    With `unsubscribe_endpoint` (a view taking `token`), each message whose recipient has an
    `unsubscribe_token` carries that view's address as its one-click List-Unsubscribe link.
    """
    if not queuing():
        return 0
    languages = current_app.config["LANGUAGES"]
    nonce = secrets.token_hex(8)
    rendered: dict[tuple, tuple[_Placeholders, str, str, str]] = {}
    status = initial_status()
    now = utcnow()
    rows = []
    replies_to = reply_to(event)
    unsubscribe_url = _link_with_token(unsubscribe_endpoint) if unsubscribe_endpoint else None
    for recipient in recipients:
        locale = recipient.locale if recipient.locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
        keys = tuple(sorted(recipient.values))
        filled = frozenset(key for key in keys if recipient.values[key])
        variant = (locale, keys, filled)
        if variant not in rendered:
            placeholders = _Placeholders(keys, filled, nonce)
            rendered[variant] = (
                placeholders,
                *render(
                    template,
                    locale,
                    subject,
                    {**context, "event": event, "registration": None, "recipient": placeholders},
                ),
            )
        placeholders, subject_text, text, html = rendered[variant]
        rows.append(
            dict(
                recipient=recipient.address,
                recipient_name=recipient.name[:200],
                subject=subject_text,
                body_text=placeholders.fill(text, recipient.values, html=False),
                body_html=placeholders.fill(html, recipient.values, html=True),
                locale=locale,
                reply_to=replies_to,
                list_unsubscribe=unsubscribe_url(recipient.unsubscribe_token)
                if unsubscribe_url and recipient.unsubscribe_token
                else "",
                template=template,
                message_id=message_id(),
                status=status,
                attempts=0,
                next_attempt_at=now,
                last_error="",
                created_at=now,
                event_id=event.id if event else None,
            )
        )
    bulk_insert(OutboxMessage, rows)
    return len(rows)


def _link_with_token(endpoint: str):
    """A function from a token to the absolute address of `endpoint` with it; the address is
    built once, not once per recipient."""
    mark = "TOKEN-" + secrets.token_hex(8)
    with links_context():
        url = url_for(endpoint, token=mark, _external=True)
    return lambda token: url.replace(mark, token)
