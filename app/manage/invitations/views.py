"""Organisers' invitation pages: the list with states and history, inviting by pasted
list, CSV file or from the address book (always through a preview), reminders,
resending and revoking."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.manage.access import managed_event_or_abort
from app.manage.blueprint import bp
from app.manage.contacts.forms import ContactFilterForm
from app.manage.imports import ConfirmImportForm, render_preview
from app.manage.invitations.forms import ChooseContactsForm, ChooseInvitationsForm, InvitationFilterForm, InviteListForm
from app.models import Event, ImportPurpose, Invitation
from app.services import ValidationError, invitations
from app.services.invitations import PREVIEW_OUTDATED, PreviewOutdated, contacts, previews
from app.web.forms import ConfirmForm, form_status
from app.web.lookup import found_or_404
from app.web.pagination import paginate
from app.web.params import link_args

PER_PAGE = 100


def _invitation_or_404(event: Event, invitation_id: int) -> Invitation:
    return found_or_404(Invitation, invitation_id, event_id=event.id)


def _list_args() -> dict:
    return link_args(request.args, keep=("q", "status", "page"))


@bp.get("/events/<int:event_id>/invitations")
def invitation_list(event_id: int):
    """Everyone invited to an event, with each invitation's state and history."""
    event = managed_event_or_abort(event_id)
    form = InvitationFilterForm(request.args)
    page = paginate(invitations.invitations_query(event, **form.filters()), per_page=PER_PAGE)
    return render_template(
        "manage/invitations/invitations.html",
        event=event,
        form=form,
        page=page,
        counts=invitations.status_counts(event),
        refused=invitations.invite_refused_reason(event),
        list_args=_list_args(),
    )


@bp.route("/events/<int:event_id>/invitations/new", methods=["GET", "POST"])
def invite(event_id: int):
    """Paste addresses or upload a CSV file; the next page previews every row."""
    event = managed_event_or_abort(event_id)
    refused = invitations.invite_refused_reason(event)
    form = InviteListForm()
    if refused is None and form.validate_on_submit():
        source, filename = form.source()
        try:
            batch = invitations.preview(
                event,
                source,
                current_user,
                source_name=filename,
                language=form.language.data or "",
                field="file" if filename else "addresses",
            )
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            return redirect(url_for("manage.invitation_preview", event_id=event.id, batch_id=batch.id))
    status = form_status(form)
    return render_template("manage/invitations/invite.html", event=event, form=form, refused=refused), status


@bp.route("/events/<int:event_id>/invitations/preview/<int:batch_id>", methods=["GET", "POST"])
def invitation_preview(event_id: int, batch_id: int):
    """Every row of the list with its problem; the organiser confirms to invite the valid ones."""
    event = managed_event_or_abort(event_id)
    batch = previews.find_batch(batch_id, ImportPurpose.INVITATIONS, current_user, event=event)
    if batch is None:
        flash(_("That preview is no longer available. Paste or upload the list again."), "warning")
        return redirect(url_for("manage.invite", event_id=event.id))
    form = ConfirmImportForm()
    if form.validate_on_submit():
        try:
            result = invitations.confirm_batch(batch, event, current_user, expected=form.expected.data)
        except PreviewOutdated:
            flash(str(PREVIEW_OUTDATED), "warning")
            return redirect(url_for("manage.invitation_preview", event_id=event.id, batch_id=batch_id))
        except ValidationError as error:
            flash(next(iter(error.problems.values())), "danger")
            return redirect(url_for("manage.invitation_list", event_id=event.id))
        flash(ngettext("%(num)d invitation is sent.", "%(num)d invitations are sent.", result.imported), "success")
        return redirect(url_for("manage.invitation_list", event_id=event.id))
    rows = previews.batch_rows(batch)
    valid = sum(1 for row in rows if row.ok)
    label = (
        ngettext("Invite %(num)d person", "Invite all %(num)d", valid)
        if valid == len(rows)
        else ngettext("Invite the %(num)d valid one", "Invite the %(num)d valid ones", valid)
    )
    return render_preview(
        rows,
        title=_("Check the list before inviting"),
        back_url=url_for("manage.invite", event_id=event.id),
        discard_url=url_for("manage.discard_invitation_preview", event_id=event.id, batch_id=batch.id),
        confirm_label=label,
        form=form,
        extra={"event": event, "source_name": batch.source_name},
    )


@bp.post("/events/<int:event_id>/invitations/preview/<int:batch_id>/discard")
def discard_invitation_preview(event_id: int, batch_id: int):
    """Throw a preview away without inviting anyone."""
    event = managed_event_or_abort(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    batch = previews.find_batch(batch_id, ImportPurpose.INVITATIONS, current_user, event=event)
    if batch is not None:
        previews.discard_batch(batch)
    flash(_("Nobody was invited."), "info")
    return redirect(url_for("manage.invitation_list", event_id=event.id))


@bp.route("/events/<int:event_id>/invitations/from-contacts", methods=["GET", "POST"])
def invite_contacts(event_id: int):
    """Choose contacts by region, sector or name; the chosen ones go to the preview."""
    event = managed_event_or_abort(event_id)
    refused = invitations.invite_refused_reason(event)
    filters = ContactFilterForm(request.args)
    choose = ChooseContactsForm()
    if refused is None and choose.validate_on_submit():
        try:
            batch = invitations.preview_contacts(
                event,
                choose.chosen.data or [],
                current_user,
                language=choose.language.data or "",
            )
        except ValidationError as error:
            choose.add_problems(error.problems)
        else:
            return redirect(url_for("manage.invitation_preview", event_id=event.id, batch_id=batch.id))
    searched = any(request.args.get(key) for key in ("q", "region", "sector"))
    found = contacts.matching(subscribed_only=True, **filters.filters()) if searched else []
    invited = contacts.invited_emails(event, [contact.email for contact in found])
    status = form_status(choose)
    return render_template(
        "manage/invitations/invite_contacts.html",
        event=event,
        filters=filters,
        choose=choose,
        found=found,
        invited=invited,
        searched=searched,
        refused=refused,
    ), status


@bp.route("/events/<int:event_id>/invitations/remind", methods=["GET", "POST"])
def remind_invitees(event_id: int):
    """Send a reminder to the chosen invitees who have not answered (all of them by default)."""
    event = managed_event_or_abort(event_id)
    refused = invitations.invite_refused_reason(event)
    form = ChooseInvitationsForm()
    if refused is None and form.validate_on_submit():
        try:
            count = invitations.remind(event, form.chosen.data or [], current_user)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            if count:
                flash(ngettext("%(num)d reminder is sent.", "%(num)d reminders are sent.", count), "success")
                return redirect(url_for("manage.invitation_list", event_id=event.id))
            form.chosen.errors = [*form.chosen.errors, _("Choose at least one person to remind.")]
    status = form_status(form)
    return render_template(
        "manage/invitations/remind.html",
        event=event,
        form=form,
        waiting=invitations.unanswered(event),
        refused=refused,
    ), status


@bp.post("/events/<int:event_id>/invitations/<int:invitation_id>/<any(resend, revoke):action>")
def change_invitation(event_id: int, invitation_id: int, action: str):
    """Send one invitation again, or revoke it."""
    event = managed_event_or_abort(event_id)
    invitation = _invitation_or_404(event, invitation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if action == "resend":
            invitations.resend(invitation, current_user)
        else:
            invitations.revoke(invitation, current_user)
    except ValidationError as error:
        flash(next(iter(error.problems.values())), "danger")
    else:
        flash(
            _("The invitation to %(email)s is sent again.", email=invitation.email)
            if action == "resend"
            else _("The invitation to %(email)s is revoked; its link no longer works.", email=invitation.email),
            "success",
        )
    return redirect(url_for("manage.invitation_list", event_id=event.id, **_list_args()))
