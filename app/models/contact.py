"""The address book: people organisers invite again and again, and whether they want to be."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.event import str_enum
from app.models.registration import Sector
from app.models.tokens import new_token
from app.models.types import UTCDateTime, utcnow


class ContactSource(StrEnum):
    """How an address came into the address book."""

    MANUAL = "manual"
    IMPORT = "import"
    # A participant who agreed at registration to hear about future events.
    REGISTRATION = "registration"
    # Invited to an event by address: kept so that their unsubscribe is honoured.
    INVITATION = "invitation"


class Contact(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    # Normalised (lower case, checked): one contact per address.
    email: Mapped[str] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[Sector | None] = mapped_column(str_enum(Sector))
    municipality: Mapped[str] = mapped_column(String(100), default="")
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    # The language invitations to this contact are written in, unless the organiser chooses one.
    locale: Mapped[str] = mapped_column(String(5), default="sv")
    source: Mapped[ContactSource] = mapped_column(str_enum(ContactSource), default=ContactSource.MANUAL)
    # Where the address came from and on what grounds (e.g. "agreed at registration for …").
    consent_note: Mapped[str] = mapped_column(String(500), default="")
    unsubscribe_token: Mapped[str] = mapped_column(String(64), default=new_token)
    # Set when the person asked for no more invitations; such an address is never invited.
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last time the address was invited to an event: the address book's retention runs from it.
    last_invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    region: Mapped["Region | None"] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("email", name="uq_contact_email"),
        UniqueConstraint("unsubscribe_token", name="uq_contact_unsubscribe_token"),
        Index("ix_contact_sector", "sector"),
    )

    @property
    def unsubscribed(self) -> bool:
        return self.unsubscribed_at is not None

    def __repr__(self) -> str:
        return f"<Contact {self.id} {self.email}>"


class SuppressedAddress(db.Model):
    """An address that asked for no more invitations, kept only as a keyed hash once the
    address itself is erased (app/services/invitations/suppression.py), so that no list brings it back."""

    __tablename__ = "suppressed_address"

    # HMAC-SHA256 of the normalised address, in hex.
    address_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
