from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired

from app.web.forms import Form, at_most

NEW_PASSWORD_HINT = _l(
    "At least 12 characters. A few words that do not belong together are easy to remember and hard "
    "to guess. Common passwords and ones based on your name or address are refused."
)


class LoginForm(Form):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(_l("Enter your email address.")), at_most(254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), at_most(500)],
        render_kw={"autocomplete": "current-password"},
    )


class CodeForm(Form):
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[DataRequired(_l("Enter the 6-digit code.")), at_most(20)],
        description=_l("6 digits; the app shows a new one every 30 seconds."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"},
    )


class RecoveryCodeForm(Form):
    code = StringField(
        _l("Recovery code"),
        validators=[DataRequired(_l("Enter one of your recovery codes.")), at_most(40)],
        description=_l("One of the codes you saved when you set up the second factor, such as abcd-efgh-jkmn."),
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), at_most(500)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")), at_most(500)],
        description=NEW_PASSWORD_HINT,
        render_kw={"autocomplete": "new-password"},
    )


class ForgotPasswordForm(Form):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(_l("Enter your email address.")), at_most(254)],
        render_kw={"autocomplete": "username"},
    )


class ResetPasswordForm(Form):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")), at_most(500)],
        description=NEW_PASSWORD_HINT,
        render_kw={"autocomplete": "new-password"},
    )


class ConfirmPasswordForm(Form):
    """For actions that weaken the account (turning the second factor off, new recovery codes)."""

    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password.")), at_most(500)],
        render_kw={"autocomplete": "current-password"},
    )
