"""Invitations: one address invited to one event, with its own link and its history."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.event import str_enum
from app.models.registration import Sector
from app.models.tokens import new_token
from app.models.types import UTCDateTime, utcnow


class InvitationStatus(StrEnum):
    SENT = "sent"
    OPENED = "opened"
    REGISTERED = "registered"
    DECLINED = "declined"
    # The mail server refused the address for good.
    BOUNCED = "bounced"
    # The organiser withdrew it: the link no longer opens anything.
    REVOKED = "revoked"


# Invitations still waiting for an answer: these get reminders.
UNANSWERED_STATUSES = (InvitationStatus.SENT, InvitationStatus.OPENED)


class InvitationStep(StrEnum):
    """What happened to an invitation; its history is a list of these with times."""

    SENT = "sent"
    RESENT = "resent"
    REMINDED = "reminded"
    OPENED = "opened"
    REGISTERED = "registered"
    DECLINED = "declined"
    BOUNCED = "bounced"
    REVOKED = "revoked"


class Invitation(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"), index=True)
    # Normalised like a registration's address: the invitee registers with exactly this one.
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[Sector | None] = mapped_column(str_enum(Sector))
    municipality: Mapped[str] = mapped_column(String(100), default="")
    token: Mapped[str] = mapped_column(String(64), default=new_token)
    status: Mapped[InvitationStatus] = mapped_column(str_enum(InvitationStatus), default=InvitationStatus.SENT)
    # The language of the invitation's mail.
    locale: Mapped[str] = mapped_column(String(5), default="sv")
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the status last changed, for the organiser's list.
    status_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped["Event"] = relationship()  # noqa: F821
    contact: Mapped["Contact | None"] = relationship()  # noqa: F821
    registration: Mapped["Registration | None"] = relationship()  # noqa: F821
    history: Mapped[list["InvitationHistory"]] = relationship(
        back_populates="invitation",
        cascade="all, delete-orphan",
        order_by="(InvitationHistory.at, InvitationHistory.id)",
    )

    __table_args__ = (
        UniqueConstraint("event_id", "email", name="uq_invitation_event_id_email"),
        UniqueConstraint("token", name="uq_invitation_token"),
        Index("ix_invitation_event_id_status", "event_id", "status"),
    )

    @property
    def is_unanswered(self) -> bool:
        return self.status in UNANSWERED_STATUSES

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.email} {self.status.value} event {self.event_id}>"


class InvitationHistory(db.Model):
    """One step in an invitation's life: sent, opened, reminded, registered…"""

    __tablename__ = "invitation_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id", ondelete="CASCADE"), index=True)
    step: Mapped[InvitationStep] = mapped_column(str_enum(InvitationStep))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The organiser who did it; empty when the invitee or the mail server did.
    actor_name: Mapped[str] = mapped_column(String(120), default="")

    invitation: Mapped[Invitation] = relationship(back_populates="history")
