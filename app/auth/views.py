"""Logging organisers and admins in and out."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp
from app.auth.forms import LoginForm
from app.extensions import limiter
from app.params import same_site_path
from app.services import users


def _account_key() -> str:
    return "login:" + request.form.get("email", "").strip().lower()[:254]


def _failed(response) -> bool:
    # Only failed attempts count against the account's limit.
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
)
def login():
    """Log in with email and password; the same message whatever was wrong."""
    if current_user.is_authenticated:
        return redirect(url_for("manage.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(same_site_path(request.args.get("next")) or url_for("manage.dashboard"))
        flash(_("Wrong email or password."), "danger")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.home"))
