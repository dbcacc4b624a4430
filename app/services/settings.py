"""Settings admins change in the app (Setting rows), with their defaults."""

from app.extensions import db
from app.models import Setting, User
from app.services import audit

REQUIRE_TWO_FACTOR = "require_two_factor"
DEFAULTS = {REQUIRE_TWO_FACTOR: False}


def get(key: str):
    row = db.session.get(Setting, key)
    return DEFAULTS[key] if row is None else row.value


def two_factor_required() -> bool:
    """Whether every organiser and admin must log in with a second factor."""
    return bool(get(REQUIRE_TWO_FACTOR))


def set_two_factor_required(required: bool, *, by: User) -> None:
    """Require (or stop requiring) a second factor of everyone; audit-logged."""
    row = db.session.get(Setting, REQUIRE_TWO_FACTOR)
    if row is None:
        row = Setting(key=REQUIRE_TWO_FACTOR, value=required)
        db.session.add(row)
    elif row.value == required:
        return
    row.value = required
    audit.record(by, "settings.two_factor_required", required=required)
    db.session.commit()
