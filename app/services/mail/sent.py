"""The organisers' read side of the outbox ("Sent mail"): which messages a user may read,
and their text with every personal link's token masked."""

import re

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app.models import Event, OutboxAttachment, OutboxMessage, User
from app.models.tokens import TOKEN_IN_TEXT
from app.services.access import can_manage


def messages_query(user: User, event: Event | None = None) -> Select:
    """The messages a user may read, newest first: those of events they manage (all for an admin)."""
    query = (
        select(OutboxMessage)
        .options(
            selectinload(OutboxMessage.event),
            selectinload(OutboxMessage.attachments).load_only(
                OutboxAttachment.id, OutboxAttachment.filename, OutboxAttachment.message_id
            ),
        )
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )
    if event is not None:
        query = query.where(OutboxMessage.event_id == event.id)
    if not user.is_admin:
        query = query.where(OutboxMessage.event.has(Event.organisers.any(User.id == user.id)))
    return query


def can_read(user: User, message: OutboxMessage) -> bool:
    """Admins read all mail; organisers the mail of the events they manage."""
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
