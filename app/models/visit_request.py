"""Visits: a region asks the delegation to come, or the delegation proposes a visit.

Both directions are one `VisitRequest` with an `origin`: they share everything that
matters (region, contact, kind, period, audience, status, the link that follows it,
the answers, the draft event an accepted one becomes), and differ only in who writes
first. A proposal starts as PROPOSED, waiting for the region's contact to answer
through the emailed link; a request from the public form starts as NEW.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.event import EventKind, str_enum
from app.models.tokens import new_token
from app.models.types import UTCDateTime, utcnow


class VisitOrigin(StrEnum):
    # The region asked through the public form.
    REQUEST = "request"
    # An organiser proposed a visit to the region's contact person.
    PROPOSAL = "proposal"


class VisitStatus(StrEnum):
    # A proposal waiting for the region's contact to accept, decline or suggest another period.
    PROPOSED = "proposed"
    NEW = "new"
    IN_REVIEW = "in_review"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    # The event made from it is published.
    SCHEDULED = "scheduled"


# Requests still waiting for something to happen.
OPEN_VISIT_STATUSES = (VisitStatus.PROPOSED, VisitStatus.NEW, VisitStatus.IN_REVIEW, VisitStatus.ACCEPTED)


class VisitNoteKind(StrEnum):
    # An organiser's answer to the requester: emailed and shown on the status page.
    ANSWER = "answer"
    # An organisers' note; never shown to the requester.
    INTERNAL = "internal"
    # What the requester or contact wrote back (e.g. with another period).
    REPLY = "reply"


class VisitRequest(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[VisitOrigin] = mapped_column(str_enum(VisitOrigin))
    status: Mapped[VisitStatus] = mapped_column(str_enum(VisitStatus))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    contact_name: Mapped[str] = mapped_column(String(120))
    # Normalised (lower case, checked), as registrations store addresses.
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind))
    # The preferred period: dates, or words ("autumn 2027"), or both.
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    period_text: Mapped[str] = mapped_column(String(200), default="")
    # Sector values (app.models.Sector) of the people the event is for.
    audience_sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    audience_size: Mapped[int | None]
    message: Mapped[str] = mapped_column(Text, default="")
    # The language the requester wrote in (or the proposal was written in); their mail uses it.
    locale: Mapped[str] = mapped_column(String(5), default="sv")
    # Agreement to the privacy notice, for requests made through the public form.
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    privacy_notice_version: Mapped[str] = mapped_column(String(40), default="")
    token: Mapped[str] = mapped_column(String(64), default=new_token)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The draft event an accepted request became; deleting that draft leaves the request accepted.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"), index=True)
    # Set when the contact's details were erased (on request or after the retention period);
    # what is counted (region, kind, status, period, audience) stays.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    region: Mapped["Region"] = relationship()  # noqa: F821
    assignee: Mapped["User | None"] = relationship(foreign_keys=[assignee_id])  # noqa: F821
    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])  # noqa: F821
    event: Mapped["Event | None"] = relationship()  # noqa: F821
    notes: Mapped[list["VisitNote"]] = relationship(
        back_populates="visit_request",
        order_by="(VisitNote.created_at, VisitNote.id)",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        UniqueConstraint("token", name="uq_visit_request_token"),
        Index("ix_visit_request_status_created_at", "status", "created_at"),
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_VISIT_STATUSES

    @property
    def is_proposal(self) -> bool:
        return self.origin == VisitOrigin.PROPOSAL

    def __repr__(self) -> str:
        return f"<VisitRequest {self.id} {self.origin.value} {self.status.value} region {self.region_id}>"


class VisitNote(db.Model):
    """One message in a visit request's thread: an answer, an internal note or a reply."""

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_request_id: Mapped[int] = mapped_column(ForeignKey("visit_request.id", ondelete="CASCADE"), index=True)
    kind: Mapped[VisitNoteKind] = mapped_column(str_enum(VisitNoteKind))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Kept as written, so the thread still reads right after the account is gone.
    author_name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    visit_request: Mapped[VisitRequest] = relationship(back_populates="notes")

    @property
    def is_public(self) -> bool:
        return self.kind != VisitNoteKind.INTERNAL


class RegionContact(db.Model):
    """A contact person in a region, e.g. a member of the regional reference group."""

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    region: Mapped["Region"] = relationship()  # noqa: F821
