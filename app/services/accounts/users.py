"""Accounts for organisers and admins."""

from functools import cache

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import Region, Role, User
from app.models.user import password_hash_method
from app.services import ValidationError, audit
from app.services.accounts import passwords, security_notices, sessions
from app.services.text import normalise_email


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not a real password", method=method)


def by_id(user_id: int | None) -> User | None:
    return db.session.get(User, user_id) if user_id is not None else None


def find_by_email(address: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == address.strip().lower()))


def all_accounts() -> list[User]:
    """Every account by name, with its region."""
    return list(db.session.scalars(select(User).options(selectinload(User.region)).order_by(User.name)))


def create_user(
    email: str,
    name: str,
    password: str,
    role: Role = Role.ORGANISER,
    region: Region | None = None,
    *,
    by: User | None = None,
) -> User:
    """Create an account; refuses a taken address or a weak password (app.services.accounts.passwords)."""
    email = normalise_email(email)
    problems = {}
    if find_by_email(email) is not None:
        problems["email"] = _("There is already an account with that address.")
    if not name.strip():
        problems["name"] = _("Enter a name.")
    weakness = passwords.problem(password, email=email, name=name)
    if weakness:
        problems["password"] = weakness
    if problems:
        raise ValidationError(problems)
    user = User(email=email, name=name.strip(), role=role, region=region)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(by, "account.created", user_id=user.id, role=role.value)
    db.session.commit()
    return user


def update_user(
    user: User,
    *,
    name: str,
    role: Role,
    region: Region | None,
    active: bool,
    new_password: str = "",
    by: User | None = None,
) -> None:
    """Change an account; a new password or deactivation ends all the user's sessions."""
    if not name.strip():
        raise ValidationError({"name": _("Enter a name.")})
    if new_password:
        weakness = passwords.problem(new_password, email=user.email, name=name)
        if weakness:
            raise ValidationError({"new_password": weakness})
    changed = [
        field
        for field, old, new in (
            ("name", user.name, name.strip()),
            ("role", user.role, role),
            ("region", user.region, region),
            ("active", user.active, active),
        )
        if old != new
    ]
    user.name, user.role, user.region = name.strip(), role, region
    if user.active and not active:
        sessions.end_all(user)
    user.active = active
    if new_password:
        user.set_password(new_password)
        sessions.end_all(user)
        changed.append("password")
        security_notices.notify(user, "password_set_by_admin")
    if changed:
        audit.record(by, "account.changed", user_id=user.id, fields=changed)
    db.session.commit()


def change_own_password(user: User, current_password: str, new_password: str, *, keep_token: str | None) -> int:
    """The user sets a new password, proving they know the current one; their other
    sessions end. Returns how many ended."""
    if not user.check_password(current_password):
        raise ValidationError({"current_password": _("That is not your current password.")})
    weakness = passwords.problem(new_password, email=user.email, name=user.name)
    if weakness:
        raise ValidationError({"new_password": weakness})
    if user.check_password(new_password):
        raise ValidationError({"new_password": _("Choose a password other than your current one.")})
    user.set_password(new_password)
    ended = sessions.end_all(user, keep_token=keep_token)
    audit.record(user, "account.password_changed", user_id=user.id, sessions_ended=ended)
    security_notices.notify(user, "password_changed")
    db.session.commit()
    return ended


def end_sessions(user: User, *, by: User) -> int:
    """Sign the user out everywhere (an admin's action); returns how many sessions ended."""
    ended = sessions.end_all(user)
    audit.record(by, "account.sessions_ended", user_id=user.id, sessions_ended=ended)
    db.session.commit()
    return ended


def authenticate(email: str, password: str) -> User | None:
    """The active user with this address and password, or None, without telling which was wrong."""
    user = find_by_email(email)
    if user is None:
        # Spend the same time as a real check, so timing does not reveal accounts.
        check_password_hash(_dummy_hash(password_hash_method()), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def organisers() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active).order_by(User.name)))


def without_two_factor() -> list[User]:
    """Active accounts that log in with a password alone."""
    return list(
        db.session.scalars(select(User).where(User.active, User.totp_confirmed_at.is_(None)).order_by(User.name))
    )
