from flask_babel import lazy_gettext as _l
from app.forms import Form
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length


class LoginForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email address.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=500)])
