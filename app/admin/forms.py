from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Optional

from app.auth.forms import NEW_PASSWORD_HINT
from app.display.labels import ROLE_LABELS
from app.services.regions import all_regions
from app.web.forms import Form, at_most


class UserForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), at_most(120)])
    role = SelectField(_l("Role"))
    region = SelectField(_l("Region"), validators=[Optional()])
    active = BooleanField(_l("Active (may log in)"), default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(role.value, str(label)) for role, label in ROLE_LABELS.items()]
        self.region.choices = [("", _l("No region"))] + [
            (region.code, f"{region.code} {region.name}") for region in all_regions()
        ]


class NewUserForm(UserForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter an email address.")), at_most(254)])
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter a password.")), at_most(500)],
        description=NEW_PASSWORD_HINT,
        render_kw={"autocomplete": "new-password"},
    )


class EditUserForm(UserForm):
    new_password = PasswordField(
        _l("New password"),
        validators=[Optional(), at_most(500)],
        description=_l("Leave empty to keep the current password. A new one logs the user out everywhere."),
        render_kw={"autocomplete": "new-password"},
    )


class SecurityForm(Form):
    require_two_factor = BooleanField(_l("Require a second factor (an authenticator app) of every organiser and admin"))


class ErasePersonForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter an email address.")), at_most(254)])
    never_invite = BooleanField(
        _l("The person wants no more invitations"),
        description=_l("Keeps a keyed hash of the address, so that no address list invites it again."),
    )
    confirm = BooleanField(_l("Yes, erase everything kept about this address"))
