"""The audit log: every change an organiser makes is recorded with the change itself."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Event, User
from app.models.audit import AuditEntry


def record(actor: User | None, action: str, *, event: Event | None = None, **details) -> None:
    """Add an entry to the session; the caller's commit saves it with the change it describes."""
    if event is not None and event.id is None:
        db.session.flush()  # a new event needs its id before the entry can point to it
    db.session.add(
        AuditEntry(
            actor_id=actor.id if actor else None,
            actor_name=actor.name if actor else "system",
            action=action,
            event_id=event.id if event else None,
            details=details,
        )
    )


def event_log(event: Event) -> list[AuditEntry]:
    """An event's entries, newest first."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.event_id == event.id)
            .options(selectinload(AuditEntry.actor))
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        )
    )
