"""A mail to the account holder whenever how they log in changes (ASVS 2.2.3), so that a
change they did not make does not go unnoticed."""

from flask_babel import lazy_gettext as _l

from app.display.i18n import select_locale
from app.models import User
from app.services import mail

CHANGES = {
    "password_changed": _l("Your password was changed."),
    "password_set_by_admin": _l("An administrator set a new password for your account."),
    "password_reset": _l("Your password was changed through a link sent to this address."),
    "two_factor_enabled": _l("A second factor (an authenticator app) was set up for your account."),
    "two_factor_disabled": _l("The second factor of your account was turned off."),
    "two_factor_reset": _l("An administrator reset the second factor of your account."),
    "recovery_codes_renewed": _l("New recovery codes were made for your account; the old ones no longer work."),
}
SUBJECT = _l("Your Samverkan account was changed")


def notify(user: User, change: str) -> None:
    """Queue the notice; the caller commits it with the change."""
    mail.enqueue(
        user.email,
        "account_changed",
        locale=select_locale(),
        subject=SUBJECT,
        to_name=user.name,
        user=user,
        change=CHANGES[change],
    )
