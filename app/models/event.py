"""Events: inspiration days, workshops, conferences and webinars."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Enum, ForeignKey, Index, String, Table, Text, false
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class EventKind(StrEnum):
    INSPIRATION_DAY = "inspiration_day"
    WORKSHOP = "workshop"
    REGIONAL_CONFERENCE = "regional_conference"
    NATIONAL_CONFERENCE = "national_conference"
    WEBINAR = "webinar"


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


# Statuses the public may see; drafts never leave the organisers' pages.
PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED, EventStatus.COMPLETED)
# Past events worth listing, and whose feedback survey is mailed: held ones, not cancelled ones.
HELD_STATUSES = (EventStatus.PUBLISHED, EventStatus.COMPLETED)
# A reminder (before an event, or after its feedback survey opens) is set at most this many days away.
MAX_REMINDER_DAYS = 30


def str_enum(enum_class: type[StrEnum]) -> Enum:
    """Store an enum by its value as a plain string column, the same on every database."""
    return Enum(
        enum_class,
        native_enum=False,
        length=30,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


event_organiser = Table(
    "event_organiser",
    db.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


class Event(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Sanitised HTML rendered from `description` when it is saved, not per request.
    description_html: Mapped[str] = mapped_column(Text, default="")
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(String(200), default="")
    venue_city: Mapped[str] = mapped_column(String(100), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    # Only registered participants get the online link (their mail and own page), never
    # the public page, the API or the calendar feeds.
    online_url_private: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Checked-in participants get their attendance certificate with the survey mail.
    certificate_with_survey: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Whom participants turn to: shown on the event's page and in its mail, which replies reach.
    contact_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int | None]
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invitation_only: Mapped[bool] = mapped_column(default=False)
    # Whether the event has slots of parallel sessions (issue 16), kept by the session service,
    # so the pages of the many events without them make no query to find none.
    has_parallel_sessions: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Set once the event has a registration question (kept when they are removed,
    # as their answers are), so the forms and lists of the many events without one look none up.
    has_form_questions: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Confirmed participants are reminded this many days before the start; 0 sends no reminder.
    reminder_days: Mapped[int] = mapped_column(default=2, server_default="2")
    status: Mapped[EventStatus] = mapped_column(str_enum(EventStatus), default=EventStatus.DRAFT)
    # Months after the event until participants' personal data is erased.
    retention_months: Mapped[int] = mapped_column(default=12, server_default="12")
    # Calendar SEQUENCE: raised whenever time, place or status changes.
    sequence: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # Seats taken, loaded with the event by lists that show seat badges
    # (services.events.public_events_query(with_seats_taken=True)); None when not loaded.
    seats_taken: Mapped[int | None] = query_expression()

    region: Mapped["Region | None"] = relationship()  # noqa: F821
    organisers: Mapped[list["User"]] = relationship(  # noqa: F821
        secondary=event_organiser, order_by="User.name"
    )
    agenda_items: Mapped[list["AgendaItem"]] = relationship(  # noqa: F821
        back_populates="event",
        order_by="(AgendaItem.starts_at, AgendaItem.position, AgendaItem.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (
        Index("ix_event_status_starts_at", "status", "starts_at"),
        # Lists in date order (the API, feeds) stop after a page instead of sorting every event.
        Index("ix_event_starts_at_id", "starts_at", "id"),
    )

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= utcnow()

    @property
    def public_online_url(self) -> str:
        """The online link as anyone may see it: empty when it is kept for participants."""
        return "" if self.online_url_private else self.online_url

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.venue_name

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r}>"
