"""Loading the logged-in user from their server-side session, and guards for organiser
and admin pages."""

from functools import wraps

from flask import abort, g, redirect, request, session, url_for
from flask_login import current_user, login_required
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE

from app.models import User
from app.services import settings
from app.services.accounts import sessions

# Flask-Login's key in the (signed) session cookie: here it holds the session's token.
USER_KEY = "_user_id"


def load_user(token: str) -> User | None:
    """The user of the live session with this token (see app.services.accounts.sessions)."""
    account_session = sessions.find(token)
    if account_session is None:
        return None
    g.account_session = account_session
    user = account_session.user
    user.session_token = token
    return user


def load_session_first() -> None:
    """Look the session up before the view runs: finding it may write its last-seen time
    and commit, which must not commit a view's half-done work. An ended session's token
    leaves the cookie, so the visitor is anonymous again (and gets kept pages)."""
    if request.endpoint == "static" or USER_KEY not in session:
        return
    if not current_user.is_authenticated:
        session.pop(USER_KEY, None)


# What a user who must set up a second factor may still do.
ENROLMENT_ENDPOINTS = frozenset(
    {
        "static",
        "auth.two_factor_setup",
        "auth.logout",
        "public.set_language",
    }
)


def require_two_factor() -> object | None:
    """When admins require a second factor, a user without one can only set it up."""
    # Nobody logged in, told without loading anyone (every anonymous page asks). The app sets
    # no remember-me cookie, but Flask-Login would log its bearer in.
    if USER_KEY not in session and REMEMBER_COOKIE not in request.cookies:
        return None
    if request.endpoint in ENROLMENT_ENDPOINTS or not current_user.is_authenticated:
        return None
    if current_user.two_factor_enabled:
        return None
    account_session = g.get("account_session")
    required = account_session.two_factor_required if account_session else settings.two_factor_required()
    if not required:
        return None
    return redirect(url_for("auth.two_factor_setup"))


def admin_required(view):
    """Only admins; anonymous visitors go to the login page."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
