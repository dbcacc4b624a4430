from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from app.forms import Form, at_most


class LoginForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email address.")), at_most(254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), at_most(500)])
