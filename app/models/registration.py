"""Registrations: a person at an event, with a secret link to see, change or cancel it."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, literal_column
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.event import str_enum
from app.models.tokens import new_certificate_code, new_token
from app.models.types import UTCDateTime, utcnow


class Sector(StrEnum):
    MUNICIPALITY = "municipality"
    ADULT_EDUCATION = "adult_education"
    PUBLIC_EMPLOYMENT_SERVICE = "public_employment_service"
    EMPLOYER = "employer"
    POLITICIAN = "politician"
    EDUCATION_PROVIDER = "education_provider"
    REGION = "region"
    OTHER = "other"


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    ATTENDED = "attended"


# Statuses that hold a seat.
SEATED_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED)
# Statuses of people still expecting to come (or to get a seat).
ACTIVE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED, RegistrationStatus.WAITLISTED)


class Registration(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    # Normalised (lower case, checked) so one address registers once per event.
    email: Mapped[str] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[Sector] = mapped_column(str_enum(Sector))
    municipality: Mapped[str] = mapped_column(String(100), default="")
    dietary_needs: Mapped[str] = mapped_column(String(500), default="")
    accessibility_needs: Mapped[str] = mapped_column(String(500), default="")
    # Agreement to the privacy notice: when, and which version of the notice.
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    privacy_notice_version: Mapped[str] = mapped_column(String(40))
    status: Mapped[RegistrationStatus] = mapped_column(str_enum(RegistrationStatus))
    # The waiting list is ordered by this time, then id: set when a person joins the list.
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    manage_token: Mapped[str] = mapped_column(String(64), default=new_token)
    # The language the person registered in; their mail is written in it.
    locale: Mapped[str] = mapped_column(String(5), default="sv")
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the person asked to hear about future events, and when the mailbox's owner confirmed
    # it (at once through their own invitation link, else from the link in their mail): only
    # then may they join the address book, since anyone can type anyone's address in a form.
    keep_informed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    keep_informed_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the manage link was last mailed again; limits how often anyone can trigger that.
    link_resent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The code in the badge's QR code, scanned at the door: unguessable, as a link token is.
    checkin_code: Mapped[str] = mapped_column(String(64), default=new_token, server_default="")
    # The code printed on the attendance certificate, which anyone can verify at /verify.
    certificate_code: Mapped[str] = mapped_column(String(14), default=new_certificate_code, server_default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the person's data was erased (on request or after the retention period).
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped["Event"] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("event_id", "email", name="uq_registration_event_id_email"),
        UniqueConstraint("manage_token", name="uq_registration_manage_token"),
        Index("ix_registration_event_id_status", "event_id", "status"),
        Index("ix_registration_checkin_code", "checkin_code", unique=True),
        Index("ix_registration_certificate_code", "certificate_code", unique=True),
    )

    @property
    def keep_informed_unconfirmed(self) -> bool:
        return self.keep_informed_at is not None and self.keep_informed_confirmed_at is None

    @hybrid_property
    def holds_seat(self) -> bool:
        return self.status in SEATED_STATUSES

    @holds_seat.inplace.expression
    @classmethod
    def _holds_seat_expression(cls):
        # The statuses written into the statement, not bound: an IN of bound values is
        # expanded anew at every execution (about 35 µs), and seats are counted on every
        # event page and twice in each registration (issue 17).
        return cls.status.in_([literal_column(f"'{status.value}'") for status in SEATED_STATUSES])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.email} {self.status.value} event {self.event_id}>"
