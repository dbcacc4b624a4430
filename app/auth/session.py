"""Loading the logged-in user, and guards for organiser and admin pages."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.extensions import db
from app.models import User
from app.params import record_id


def load_user(user_id: str) -> User | None:
    """The cookie holds "id:session_token"; a changed token ends old sessions."""
    id_part, _, token = user_id.partition(":")
    number = record_id(id_part)
    if number is None:
        return None
    user = db.session.get(User, number)
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def admin_required(view):
    """Only admins; anonymous visitors go to the login page."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
