"""Logging organisers and admins in and out, their own account (password, second factor,
devices), and choosing a new password by mail."""

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import throttle
from app.auth.forms import (
    ChangePasswordForm,
    CodeForm,
    ConfirmPasswordForm,
    ForgotPasswordForm,
    LoginForm,
    RecoveryCodeForm,
    ResetPasswordForm,
)
from app.display.i18n import select_locale
from app.extensions import limiter
from app.models import User
from app.services import ValidationError, settings
from app.services.accounts import password_resets, sessions, two_factor, users
from app.web.forms import form_status
from app.web.params import same_site_path
from app.web.security import keep_link_private

bp = Blueprint("auth", __name__)

# Between the right password and the second factor: long enough to open the app.
PENDING_LOGIN_SECONDS = 300
PENDING_KEY = "pending_login"


def _client_address() -> str:
    return request.remote_addr or ""


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Log in with email and password (then the second factor, when set up); the same
    message whatever was wrong. Guessing is throttled (app/auth/throttle.py)."""
    if current_user.is_authenticated:
        return redirect(url_for("manage.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        refusal = throttle.check_login(form.email.data)
        if refusal is not None:
            return _too_many_logins(form, refusal)
        user = users.authenticate(form.email.data, form.password.data)
        if user is None:
            throttle.login_failed(form.email.data)
            current_app.logger.warning("Failed login from %s", _client_address())
            flash(_("Wrong email or password."), "danger")
        elif user.two_factor_enabled:
            session[PENDING_KEY] = {"user": user.id, "at": time.time(), "next": request.args.get("next")}
            return redirect(url_for("auth.login_code"))
        else:
            return _complete_login(user, request.args.get("next"))
    return render_template("auth/login.html", form=form), form_status(form)


def _too_many_logins(form, refusal: throttle.Refusal):
    minutes = max(1, round(refusal.retry_after / 60))
    if refusal.account_locked:
        message = _(
            "Too many attempts to log in to this account from unknown devices. Try again in "
            "%(minutes)d minutes, log in from a device you have used before, or choose a new "
            "password by email.",
            minutes=minutes,
        )
    else:
        message = _("Too many attempts. Wait %(minutes)d minutes and try again.", minutes=minutes)
    response = make_response(render_template("auth/login.html", form=form, refusal=message), 429)
    response.headers["Retry-After"] = str(refusal.retry_after)
    return response


def _complete_login(user: User, next_url: str | None):
    """Open a server-side session for `user` and make this browser known to the account."""
    session.clear()  # nothing from before the login (a pending second step) carries over
    user.session_token = sessions.start(
        user,
        user_agent=request.headers.get("User-Agent", ""),
        ip_address=_client_address(),
    )
    login_user(user)
    response = redirect(same_site_path(next_url) or url_for("manage.dashboard"))
    throttle.remember_device(response, user.email)
    return response


def _pending_user() -> User | None:
    """The user who gave the right password and has yet to give the second factor."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_LOGIN_SECONDS:
        session.pop(PENDING_KEY, None)
        return None
    user = users.by_id(pending.get("user"))
    if user is None or not user.active or not user.two_factor_enabled:
        return None
    return user


def _second_step(form, check, template: str):
    """The second step of a login: a code from the app, or a recovery code."""
    user = _pending_user()
    if user is None:
        flash(_("Log in again: the time to enter the code ran out."), "info")
        return redirect(url_for("auth.login"))
    if form.validate_on_submit():
        wait = throttle.check_code(user.id)
        if wait is not None:
            flash(
                _("Too many attempts. Wait %(minutes)d minutes and try again.", minutes=max(1, round(wait / 60))),
                "danger",
            )
            return render_template(template, form=form), 429
        if check(user, form.code.data):
            return _complete_login(user, session[PENDING_KEY].get("next"))
        throttle.code_failed(user.id)
        current_app.logger.warning("Wrong second-factor code from %s", _client_address())
        form.add_problems({"code": _("That code is not right. Check it and try again.")})
    return render_template(template, form=form), form_status(form)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login_code():
    """The second step of logging in: the code from the authenticator app."""
    return _second_step(CodeForm(), two_factor.verify, "auth/login_code.html")


@bp.route("/login/recovery", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login_recovery():
    """The second step of logging in with a recovery code, when the phone is not at hand."""
    return _second_step(RecoveryCodeForm(), two_factor.use_recovery_code, "auth/login_recovery.html")


@bp.post("/logout")
@login_required
def logout():
    """End this session on the server, so its cookie is worth nothing even if copied."""
    sessions.end(current_user.session_token)
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.home"))


# One's own account.


@bp.get("/account")
@login_required
def account():
    """Your account: password, second factor, and where you are logged in."""
    response = make_response(
        render_template(
            "auth/account.html",
            sessions=sessions.active_sessions(current_user),
            this_session=g.account_session,
            recovery_left=two_factor.recovery_codes_left(current_user),
            required=g.account_session.two_factor_required,
        )
    )
    return keep_link_private(response)


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int):
    """Log out one of your other devices."""
    if sessions.end_one(current_user, session_id, keep_token=current_user.session_token):
        flash(_("That device is logged out."), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions():
    """Log out everywhere but here."""
    ended = sessions.end_others(current_user, keep_token=current_user.session_token)
    flash(ngettext("%(num)d other device is logged out.", "%(num)d other devices are logged out.", ended), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Choose a new password; your other devices are logged out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            users.change_own_password(
                current_user, form.current_password.data, form.new_password.data, keep_token=current_user.session_token
            )
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(_("Your password is changed. Your other devices are logged out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form), form_status(form)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    """Set up the second factor: scan the QR code (or type the key), confirm a first code,
    then save the recovery codes shown once."""
    if current_user.two_factor_enabled:
        return redirect(url_for("auth.account"))
    form = CodeForm()
    secret = two_factor.pending_secret(current_user)
    if form.validate_on_submit():
        wait = throttle.check_code(current_user.id)
        codes = None if wait is not None else two_factor.confirm(current_user, form.code.data)
        if codes is not None:
            return keep_link_private(make_response(render_template("auth/recovery_codes.html", codes=codes)))
        throttle.code_failed(current_user.id)
        form.add_problems({"code": _("That code is not right. Check the time on your phone and try again.")})
    uri = two_factor.provisioning_uri(current_user, secret)
    response = make_response(
        render_template(
            "auth/two_factor_setup.html",
            form=form,
            secret=secret,
            qr=two_factor.qr_data_uri(uri),
            required=settings.two_factor_required(),
        ),
        form_status(form),
    )
    return keep_link_private(response)


@bp.post("/account/two-factor/recovery-codes")
@login_required
def new_recovery_codes():
    """Replace your recovery codes (the old ones stop working); asks for your password."""
    form = ConfirmPasswordForm()
    if not current_user.two_factor_enabled:
        return redirect(url_for("auth.account"))
    if form.validate_on_submit() and current_user.check_password(form.password.data):
        codes = two_factor.new_recovery_codes(current_user)
        return keep_link_private(make_response(render_template("auth/recovery_codes.html", codes=codes)))
    flash(_("That is not your password; nothing was changed."), "danger")
    return redirect(url_for("auth.account"))


@bp.post("/account/two-factor/remove")
@login_required
def remove_two_factor():
    """Turn your second factor off (not when admins require it); asks for your password."""
    form = ConfirmPasswordForm()
    if settings.two_factor_required():
        flash(_("A second factor is required for every account; it cannot be turned off."), "danger")
    elif form.validate_on_submit() and current_user.check_password(form.password.data):
        two_factor.remove(current_user, by=current_user)
        flash(_("The second factor is turned off."), "success")
    else:
        flash(_("That is not your password; nothing was changed."), "danger")
    return redirect(url_for("auth.account"))


# A new password by mail.


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"],
    methods=["POST"],
    key_func=lambda: "reset:" + throttle.account_key(request.form.get("email", "")),
)
def forgot_password():
    """Ask for a link to choose a new password; the answer never tells whether the
    address has an account."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.change_password"))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        password_resets.request_reset(form.email.data, locale=select_locale())
        flash(
            _(
                "If there is an account with that address, we have sent it a link to choose a new password. "
                "The link works for %(minutes)d minutes.",
                minutes=current_app.config["PASSWORD_RESET_MINUTES"],
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form), form_status(form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
def reset_password(token: str):
    """Choose a new password through the mailed link; every session of the account ends,
    and this browser becomes known to the account (see app/auth/throttle.py)."""
    reset = password_resets.find(token)
    if reset is None:
        response = make_response(render_template("auth/reset_expired.html"), 404)
        return keep_link_private(response)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = password_resets.reset_password(token, form.password.data)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            if user is not None:
                flash(_("Your password is changed. Log in with it."), "success")
                response = redirect(url_for("auth.login"))
                throttle.remember_device(response, user.email)
                return keep_link_private(response)
    response = make_response(render_template("auth/reset_password.html", form=form, user=reset.user), form_status(form))
    return keep_link_private(response)
