"""What keeps an organiser's or admin's account safe: their login sessions, their
recovery codes and their password-reset links. Every secret is stored as a hash:
a copy of the database lets no one log in."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class AccountSession(db.Model):
    """One login on one device. The browser holds a random token; the row holds its SHA-256,
    so ending a session (logout, password change, deactivation, "sign out everywhere")
    is deleting its row."""

    __tablename__ = "account_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Written at most once a minute, so most pages cost no write (see services.accounts.sessions).
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Shown to the user so they can tell their devices apart ("Firefox on Windows").
    user_agent: Mapped[str] = mapped_column(String(120), default="")
    ip_address: Mapped[str] = mapped_column(String(45), default="")

    user: Mapped["User"] = relationship()  # noqa: F821

    # Whether admins require a second factor, read with the session (services.accounts.sessions.find).
    two_factor_required = False


class RecoveryCode(db.Model):
    """A single-use code for logging in without the authenticator app."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordReset(db.Model):
    """A mailed link to choose a new password: single use, valid for an hour."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped["User"] = relationship()  # noqa: F821

    __table_args__ = (Index("ix_password_reset_user_id_created_at", "user_id", "created_at"),)
