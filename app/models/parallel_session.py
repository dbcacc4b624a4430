"""Parallel sessions: agenda items people choose between in a time slot ("choose one of"),
each with its own seats, and the choice each registration made per slot."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.agenda import AgendaItem
from app.models.event import str_enum
from app.models.types import UTCDateTime, utcnow


class SessionSlot(db.Model):
    """A time slot of an event in which each participant chooses one of several sessions."""

    __tablename__ = "session_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # Whether a participant may choose none of the slot's sessions.
    allow_none: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sessions: Mapped[list["ParallelSession"]] = relationship(
        back_populates="slot", cascade="all, delete-orphan", passive_deletes=True, order_by="ParallelSession.id"
    )

    def __repr__(self) -> str:
        return f"<SessionSlot {self.id} {self.title!r}>"


class ParallelSession(db.Model):
    """An agenda item offered as one choice of a slot, with its own capacity.

    Its row is what a seat decision locks (after the event's row), so it is kept apart
    from the agenda item, which organisers edit without taking part in that lock order.
    """

    __tablename__ = "parallel_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("session_slot.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"))
    # Seats in the session; None for no limit.
    capacity: Mapped[int | None] = mapped_column()

    slot: Mapped[SessionSlot] = relationship(back_populates="sessions")
    item: Mapped[AgendaItem] = relationship()

    __table_args__ = (UniqueConstraint("agenda_item_id", name="uq_parallel_session_agenda_item_id"),)

    def __repr__(self) -> str:
        return f"<ParallelSession {self.id} item {self.agenda_item_id}>"


class ChoiceStatus(StrEnum):
    SEATED = "seated"
    WAITLISTED = "waitlisted"


class SessionChoice(db.Model):
    """The session a registration chose in a slot: a seat in it, or a place on its waiting list."""

    __tablename__ = "session_choice"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("session_slot.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("parallel_session.id", ondelete="CASCADE"))
    status: Mapped[ChoiceStatus] = mapped_column(str_enum(ChoiceStatus))
    # The session's waiting list is ordered by this time, then id.
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[ParallelSession] = relationship()
    registration: Mapped["Registration"] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("registration_id", "slot_id", name="uq_session_choice_registration_id_slot_id"),
        Index("ix_session_choice_session_id_status", "session_id", "status"),
    )

    def __repr__(self) -> str:
        return f"<SessionChoice {self.id} registration {self.registration_id} session {self.session_id}>"
