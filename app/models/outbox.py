"""Outgoing mail: every message is stored here first, then delivered by the mail worker."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.event import str_enum
from app.models.types import UTCDateTime, utcnow


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    # Claimed by a worker that is talking to the mail server right now.
    SENDING = "sending"
    SENT = "sent"
    # Refused for good by the server, or given up on after many tries; still kept.
    FAILED = "failed"
    # No mail server is configured (a local trial): kept for the "Sent mail" page only.
    KEPT = "kept"


class OutboxMessage(db.Model):
    """One email to one recipient, rendered in the recipient's language when it was queued."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(5))
    # Where a reply goes (the event's contact); empty: the sender, whose replies are not read.
    reply_to: Mapped[str] = mapped_column(String(254), default="", server_default="")
    template: Mapped[str] = mapped_column(String(60))
    # Bulk mail's one-click unsubscribe link (RFC 8058), sent as List-Unsubscribe; "" for other mail.
    list_unsubscribe: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # Fixed when queued, so a retry carries the same Message-ID and receivers can tell.
    message_id: Mapped[str] = mapped_column(String(250))
    status: Mapped[OutboxStatus] = mapped_column(str_enum(OutboxStatus), default=OutboxStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When a worker claimed it; a claim older than the lease is taken back (the worker died).
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"), index=True)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"), index=True)
    # The visit request a message is about (to its contact, or to the organiser who has it),
    # so that erasing the request's contact finds its mail.
    visit_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit_request.id", ondelete="SET NULL"), index=True
    )

    event: Mapped["Event | None"] = relationship()  # noqa: F821
    registration: Mapped["Registration | None"] = relationship()  # noqa: F821
    attachments: Mapped[list["OutboxAttachment"]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="OutboxAttachment.id"
    )

    # The worker's question: which queued messages are due, oldest first.
    __table_args__ = (Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.template} to {self.recipient} {self.status.value}>"


class OutboxAttachment(db.Model):
    """A file sent with a message, such as the calendar invitation (.ics)."""

    __tablename__ = "outbox_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    # A full MIME type with parameters, e.g. "text/calendar; method=REQUEST; charset=utf-8".
    content_type: Mapped[str] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary)

    message: Mapped[OutboxMessage] = relationship(back_populates="attachments")
