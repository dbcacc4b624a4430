"""Admin pages: user accounts and the names of the five steps."""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.admin.forms import EditUserForm, ErasePersonForm, NewUserForm, SecurityForm
from app.auth.session import admin_required
from app.models import Role, User
from app.services import ValidationError, personal_data, regions, settings
from app.services.accounts import sessions, two_factor, users
from app.services.regions import region_by_code
from app.web.forms import Form, form_status
from app.web.lookup import found_or_404

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@admin_required
def user_list():
    """Every account, with role, region and whether it may log in."""
    accounts = users.all_accounts()
    return render_template("admin/users.html", users=accounts)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def new_user():
    """Create an organiser or admin account."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            users.create_user(
                form.email.data,
                form.name.data,
                form.password.data,
                Role(form.role.data),
                region_by_code(form.region.data),
                by=current_user,
            )
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(_("The account is created."), "success")
            return redirect(url_for("admin.user_list"))
    return render_template("admin/user_form.html", form=form, user=None), form_status(form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int):
    """Change an account: role, region, deactivate, or set a new password."""
    user = found_or_404(User, user_id)
    form = EditUserForm(obj=user)
    if not form.is_submitted():
        form.role.data = user.role.value
        form.region.data = user.region.code if user.region else ""
    if form.validate_on_submit():
        try:
            users.update_user(
                user,
                name=form.name.data,
                role=Role(form.role.data),
                region=region_by_code(form.region.data),
                active=form.active.data,
                new_password=form.new_password.data or "",
                by=current_user,
            )
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(_("The account is saved."), "success")
            return redirect(url_for("admin.user_list"))
    return render_template(
        "admin/user_form.html", form=form, user=user, action_form=Form(), sessions=sessions.active_sessions(user)
    ), form_status(form)


@bp.post("/users/<int:user_id>/end-sessions")
@admin_required
def end_user_sessions(user_id: int):
    """Sign a user out everywhere, e.g. after a lost laptop."""
    user = found_or_404(User, user_id)
    if Form().validate_on_submit():
        ended = users.end_sessions(user, by=current_user)
        flash(ngettext("%(num)d session was ended.", "%(num)d sessions were ended.", ended), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/reset-two-factor")
@admin_required
def reset_two_factor(user_id: int):
    """Remove a user's second factor (a lost phone and no recovery codes); they set it up
    again at their next login when it is required."""
    user = found_or_404(User, user_id)
    if Form().validate_on_submit() and user.two_factor_enabled:
        two_factor.remove(user, by=current_user)
        flash(
            _("The second factor of %(name)s is reset, and they are logged out everywhere.", name=user.name), "success"
        )
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/security", methods=["GET", "POST"])
@admin_required
def security():
    """Require a second factor of every organiser and admin."""
    form = SecurityForm()
    if not form.is_submitted():
        form.require_two_factor.data = settings.two_factor_required()
    if form.validate_on_submit():
        settings.set_two_factor_required(form.require_two_factor.data, by=current_user)
        flash(_("The security settings are saved."), "success")
        return redirect(url_for("admin.security"))
    without = users.without_two_factor()
    return render_template("admin/security.html", form=form, without=without)


@bp.route("/steps", methods=["GET", "POST"])
@admin_required
def step_names():
    """Reword the five steps of the collaboration model, in Swedish and English."""
    form = Form()
    all_steps = regions.steps()
    problems: dict[str, str] = {}
    if form.validate_on_submit():
        names = {
            step.number: (
                request.form.get(f"step_{step.number}_sv", ""),
                request.form.get(f"step_{step.number}_en", ""),
            )
            for step in all_steps
        }
        try:
            regions.rename_steps(names)
        except ValidationError as error:
            problems = error.problems
        else:
            flash(_("The step names are saved."), "success")
            return redirect(url_for("admin.step_names"))
    return render_template("admin/steps.html", form=form, steps=all_steps, problems=problems), 400 if problems else 200


@bp.route("/erase", methods=["GET", "POST"])
@admin_required
def erase_person():
    """Erase a person by email: first see everything kept about the address, then confirm."""
    form = ErasePersonForm()
    found = None
    if form.validate_on_submit():
        try:
            found = personal_data.footprint(form.email.data)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            if form.confirm.data:
                report = personal_data.erase_person(
                    form.email.data, by=current_user, never_invite=form.never_invite.data
                )
                flash(_erased_message(report), "success")
                remaining = personal_data.remaining_mentions(form.email.data)
                if remaining:
                    places = ", ".join(f"{table} ({count})" for table, count in remaining.items())
                    flash(
                        _(
                            "The address still appears where erasure changes nothing (look there yourself): "
                            "%(places)s.",
                            places=places,
                        ),
                        "warning",
                    )
                return redirect(url_for("admin.erase_person"))
    status = form_status(form)
    return render_template("admin/erase.html", form=form, found=found), status


def _erased_message(report: personal_data.ErasureReport) -> str:
    parts = [
        ngettext("%(num)d registration", "%(num)d registrations", report.registrations),
        ngettext("%(num)d invitation", "%(num)d invitations", report.invitations),
        ngettext("%(num)d email", "%(num)d emails", report.messages),
        ngettext("%(num)d visit request", "%(num)d visit requests", report.visit_requests),
        ngettext("%(num)d region contact entry", "%(num)d region contact entries", report.region_contacts),
        ngettext("%(num)d row of address-list previews", "%(num)d rows of address-list previews", report.import_rows),
    ]
    if report.contact:
        parts.append(_("the address-book entry"))
    message = _("Erased: %(what)s.", what=", ".join(parts))
    if report.mentions:
        message += " " + ngettext(
            "The address was replaced in %(num)d other record.",
            "The address was replaced in %(num)d other records.",
            report.mentions,
        )
    if report.suppressed:
        message += " " + _(
            "It had unsubscribed from invitations: only a keyed hash of it is kept, so it is never invited again."
        )
    return message


@bp.post("/erase/export")
@admin_required
def export_person():
    """A copy of everything kept about an address, as JSON, for answering a request for access."""
    form = ErasePersonForm()
    if not form.validate_on_submit():
        return render_template("admin/erase.html", form=form, found=None), 400
    try:
        data = personal_data.export_person(form.email.data, by=current_user)
    except ValidationError as error:
        form.add_problems(error.problems)
        return render_template("admin/erase.html", form=form, found=None), 400
    response = jsonify(data)
    response.headers["Content-Disposition"] = 'attachment; filename="samverkan-personal-data.json"'
    response.headers["Cache-Control"] = "no-store"
    return response
