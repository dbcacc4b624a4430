"""Accounts for organisers and admins."""

from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import Region, Role, User
from app.services import ValidationError

MIN_PASSWORD_LENGTH = 10


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not a real password")


def normalise_email(address: str) -> str:
    """The address as we store and compare it, or ValidationError if it cannot be an address."""
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None


def find_by_email(address: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == address.strip().lower()))


def create_user(
    email: str, name: str, password: str, role: Role = Role.ORGANISER, region: Region | None = None
) -> User:
    """Create an account; refuses a taken address or a short password."""
    email = normalise_email(email)
    problems = {}
    if find_by_email(email) is not None:
        problems["email"] = _("There is already an account with that address.")
    if not name.strip():
        problems["name"] = _("Enter a name.")
    if len(password) < MIN_PASSWORD_LENGTH:
        problems["password"] = _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
    if problems:
        raise ValidationError(problems)
    user = User(email=email, name=name.strip(), role=role, region=region)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def update_user(user: User, *, name: str, role: Role, region: Region | None, active: bool,
                new_password: str = "") -> None:
    """Change an account; a new password or deactivation ends the user's sessions."""
    if not name.strip():
        raise ValidationError({"name": _("Enter a name.")})
    if new_password and len(new_password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            {"new_password": _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)}
        )
    user.name, user.role, user.region = name.strip(), role, region
    if user.active and not active:
        user.end_sessions()
    user.active = active
    if new_password:
        user.set_password(new_password)
    db.session.commit()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this address and password, or None, without telling which was wrong."""
    user = find_by_email(email)
    if user is None:
        # Spend the same time as a real check, so timing does not reveal accounts.
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def organisers() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active).order_by(User.name)))
