""" "Forgot password": a mailed link, single use, valid PASSWORD_RESET_MINUTES, stored as
a hash. The answer to the request is the same whether the address has an account."""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app.extensions import db
from app.models import PasswordReset, User
from app.models.tokens import new_token
from app.models.types import utcnow
from app.services import ValidationError, audit, mail
from app.services.accounts import passwords, security_notices, sessions, users
from app.services.accounts.sessions import hash_token

SUBJECT = _l("Choose a new password for Samverkan")


def request_reset(email: str, *, locale: str) -> None:
    """Mail a reset link to the account with this address, if there is one; commits."""
    user = users.find_by_email(email)
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    token = new_token()
    if user is None or not user.active:
        # The same work as for an account, so the time taken does not tell which it was.
        mail.render("password_reset", locale, SUBJECT, {"user": User(name=""), "token": token, "minutes": minutes})
        return
    # Only the newest link works: an older mail found later is no use to anyone.
    db.session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id))
    now = utcnow()
    db.session.add(
        PasswordReset(
            token_hash=hash_token(token), user_id=user.id, created_at=now, expires_at=now + timedelta(minutes=minutes)
        )
    )
    mail.enqueue(
        user.email,
        "password_reset",
        locale=locale,
        subject=SUBJECT,
        to_name=user.name,
        user=user,
        token=token,
        minutes=minutes,
    )
    audit.record(None, "account.password_reset_requested", user_id=user.id)
    db.session.commit()


def find(token: str) -> PasswordReset | None:
    """The unused, unexpired reset with this token; else None."""
    if not token or len(token) > 100:
        return None
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == hash_token(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow() or not reset.user.active:
        return None
    return reset


def reset_password(token: str, new_password: str) -> User | None:
    """Set the new password through the link; ends all the user's sessions. None when the
    link is used or expired; ValidationError for a weak password. Commits."""
    reset = find(token)
    if reset is None:
        return None
    user = reset.user
    weakness = passwords.problem(new_password, email=user.email, name=user.name)
    if weakness:
        raise ValidationError({"password": weakness})
    user.set_password(new_password)
    reset.used_at = utcnow()
    db.session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.id != reset.id))
    ended = sessions.end_all(user)
    audit.record(user, "account.password_reset", user_id=user.id, sessions_ended=ended)
    security_notices.notify(user, "password_reset")
    db.session.commit()
    return user


def purge_expired() -> int:
    """Delete used and expired reset links; commits. Returns how many went."""
    count = db.session.execute(
        delete(PasswordReset).where((PasswordReset.expires_at <= utcnow()) | PasswordReset.used_at.is_not(None))
    ).rowcount
    db.session.commit()
    return count
