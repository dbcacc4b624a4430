"""The invitee's pages: the invitation link (/i/<token>) to register or decline, and
the unsubscribe link (/u/<token>) every invitation carries, and its one-click form for mail
providers (RFC 8058)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.display.i18n import current_locale
from app.extensions import csrf
from app.models import Invitation, InvitationStatus
from app.registrations.forms import InvitationRegistrationForm
from app.registrations.questions import attach_questions
from app.registrations.session_fields import chosen, with_sessions  # parallel sessions (issue 16)
from app.registrations.views import welcome_once
from app.services import ValidationError, invitations, registrations
from app.services.invitations import contacts
from app.services.registrations import RegistrationClosed, sessions
from app.web.forms import ConfirmForm, form_status
from app.web.security import limit_public_form

bp = Blueprint("invitations", __name__)


def _invalid_link():
    return render_template("invitations/invalid_link.html"), 404


def _form_for(invitation: Invitation, slots) -> InvitationRegistrationForm:
    form = with_sessions(InvitationRegistrationForm, slots)()
    attach_questions(form, invitation.event)
    if not form.is_submitted():
        # Pre-filled with what the organiser knew about the invitee.
        form.name.data = invitation.name
        form.organisation.data = invitation.organisation
        form.municipality.data = invitation.municipality
        form.sector.data = invitation.sector.value if invitation.sector else ""
    return form


@bp.route("/i/<token>", methods=["GET", "POST"])
@limit_public_form
def invitation(token: str):
    """An invitation: the event, and a form to register with the invited address, or decline."""
    invitation = invitations.find_by_token(token)
    if invitation is None:
        return _invalid_link()
    event = invitation.event
    if not event.is_public:
        return _invalid_link()
    slots = sessions.slots_of(event, speakers=False)  # parallel sessions (issue 16)
    form = _form_for(invitation, slots)
    closed = registrations.closed_reason(event, invitation=invitation)
    if not form.is_submitted():
        invitations.mark_opened(invitation)
    elif closed is None and invitation.status != InvitationStatus.REGISTERED and form.validate_on_submit():
        try:
            outcome = invitations.register(
                invitation,
                form.registration_details(),
                locale=current_locale(),
                choices=chosen(form, slots) if slots else None,
                slots=slots,
            )
        except ValidationError as error:
            form.add_problems(error.problems)
        except RegistrationClosed as error:
            closed = str(error)
        else:
            if outcome.created:
                welcome_once(outcome.registration_id)
                return redirect(url_for("registrations.manage", token=outcome.manage_token))
            registrations.resend_link(outcome.registration)
            flash(_("You were already registered. We have emailed you the link to your registration."), "info")
            return redirect(url_for("invitations.invitation", token=token))
    status = form_status(form)
    return render_template(
        "invitations/invitation.html",
        invitation=invitation,
        event=event,
        form=form,
        closed=closed,
        can_decline=invitations.can_decline(invitation),
        seats_left=registrations.seats_left(event),
        slots=slots,
        session_seats=sessions.seats_by_session(event) if slots else {},
    ), status


@bp.post("/i/<token>/decline")
@limit_public_form
def decline(token: str):
    """The invitee will not come: one click, then a confirmation."""
    invitation = invitations.find_by_token(token)
    if invitation is None or not invitation.event.is_public:
        return _invalid_link()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        invitations.decline(invitation)
    except ValidationError as error:
        flash(next(iter(error.problems.values())), "warning")
    else:
        flash(_("Thank you for letting us know that you cannot come."), "success")
    return redirect(url_for("invitations.invitation", token=token))


@bp.route("/u/<token>", methods=["GET", "POST"])
@limit_public_form
def unsubscribe(token: str):
    """Stop invitations to this address: a confirmation page, then one click."""
    contact = contacts.find_by_unsubscribe_token(token)
    if contact is None:
        return _invalid_link()
    form = ConfirmForm()
    if form.validate_on_submit():
        contacts.unsubscribe(contact)
        return redirect(url_for("invitations.unsubscribe", token=token))
    return render_template("invitations/unsubscribe.html", contact=contact, form=form)


@bp.route("/u/<token>/one-click", methods=["GET", "POST"])
@csrf.exempt
@limit_public_form
def one_click_unsubscribe(token: str):
    """RFC 8058 one-click unsubscribe, the link in an invitation's List-Unsubscribe header.

    A mail provider POSTs `List-Unsubscribe=One-Click` from its own servers, with no CSRF
    token, session or Origin: this is the one view exempt from those checks. It can do
    nothing but unsubscribe the token's own address. A person who opens the link gets the
    unsubscribe page, which asks first.
    """
    if request.method == "GET":
        return redirect(url_for("invitations.unsubscribe", token=token))
    if request.form.get("List-Unsubscribe") != "One-Click":
        abort(400)
    contact = contacts.find_by_unsubscribe_token(token)
    if contact is None:
        abort(404)
    contacts.unsubscribe(contact)
    return _("You will get no more invitations from us."), 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.post("/u/<token>/resubscribe")
@limit_public_form
def resubscribe(token: str):
    """Undo an unsubscribe."""
    contact = contacts.find_by_unsubscribe_token(token)
    if contact is None:
        return _invalid_link()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    contacts.resubscribe(contact)
    flash(_("You will get invitations again."), "success")
    return redirect(url_for("invitations.unsubscribe", token=token))
