"""Registering from an event's public page, and the personal manage link (/r/<token>)."""

from flask import Blueprint, flash, jsonify, redirect, render_template, session, url_for
from flask_babel import gettext as _

from app.cache import live_parts
from app.cache.page_cache import cached_page
from app.database.read_only import reads_only
from app.display.i18n import current_locale
from app.registrations.forms import ChangeRegistrationForm, EraseForm, KeepInformedForm, RegistrationForm
from app.registrations.questions import attach_questions
from app.registrations.session_fields import chosen, own_sessions_context, with_sessions  # issue 16
from app.services import ValidationError, attendance, personal_data, registrations
from app.services.registrations import RegistrationClosed, sessions
from app.web.forms import ConfirmForm, form_status
from app.web.lookup import public_event_or_404
from app.web.security import limit_public_form

bp = Blueprint("registrations", __name__)

# The registration just made, so its page welcomes the person once, not on every later visit.
JUST_REGISTERED = "just_registered"
# Registrations made in this browser: a second submit (a double click, the back button) mails
# nothing more, as the confirmation has just gone out. The page is the same either way.
SESSION_KEY = "registered"
REMEMBERED = 10


def _remember(registration_id: int) -> None:
    known = [i for i in session.get(SESSION_KEY, []) if i != registration_id]
    session[SESSION_KEY] = [registration_id, *known][:REMEMBERED]


def welcome_once(registration_id: int) -> None:
    """Have the registration's page say "you are registered" the next time it is opened, and only then."""
    session[JUST_REGISTERED] = registration_id


def _manage_url(token: str) -> str:
    return url_for("registrations.manage", token=token)


@bp.route("/events/<int:event_id>/register", methods=["GET", "POST"])
@cached_page(participants=False)
@limit_public_form
def register(event_id: int):
    """The public registration form of an open event. Kept for anonymous visitors like the
    event page, with the seats left and each visitor's own CSRF token as live parts; an
    event with parallel sessions, whose seats it shows too, renders it for each visitor."""
    event = public_event_or_404(event_id, with_seats=True)
    closed = registrations.closed_reason(event)
    slots = sessions.slots_of(event, speakers=False)  # parallel sessions (issue 16)
    if slots:
        live_parts.render_only()
    # A kept form leaves its CSRF field to the live part that fills in each visitor's own.
    form = with_sessions(RegistrationForm, slots)(meta={"csrf": False} if live_parts.keeping() else None)
    attach_questions(form, event)
    if closed is None and form.validate_on_submit():
        shown = {"event_id": event.id, "title": event.title}  # read now: the commit expires the event
        try:
            outcome = registrations.register(
                event,
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
            # New or known, the answer is the same: the link goes to the address only. A page
            # that showed the registration (or said that the address was registered before)
            # would hand anyone who types someone else's address that person's registration.
            if outcome.created:
                _remember(outcome.registration_id)
            elif outcome.registration_id not in session.get(SESSION_KEY, []):
                registrations.resend_link(outcome.registration)
            return render_template("registrations/link_sent.html", email=form.email.data.strip(), **shown)
    status = form_status(form)
    return render_template(
        "registrations/register.html",
        event=event,
        form=form,
        closed=closed,
        seats_left=registrations.seats_left(event),
        slots=slots,
        session_seats=sessions.seats_by_session(event) if slots else {},
    ), status


def _invalid_link():
    return render_template("registrations/invalid_link.html"), 404


@bp.route("/r/<token>", methods=["GET", "POST"])
@reads_only  # its GET: the POST changes the registration as usual
@limit_public_form
def manage(token: str):
    """A participant's own registration: see it, change it, cancel it."""
    registration = registrations.find_by_token(token)
    if registration is None:
        return _invalid_link()
    refused = registrations.change_refused_reason(registration)
    form = ChangeRegistrationForm(obj=registration)
    attach_questions(form, registration.event, registration)
    if not form.is_submitted():
        form.sector.data = registration.sector.value
    if refused is None and form.validate_on_submit():
        try:
            registrations.change(registration, form.details())
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(_manage_url(registration.manage_token))
    status = form_status(form)
    just_registered = session.get(JUST_REGISTERED) == registration.id
    if just_registered:
        session.pop(JUST_REGISTERED)
    return render_template(
        "registrations/manage.html",
        registration=registration,
        event=registration.event,
        form=form,
        refused=refused,
        just_registered=just_registered,
        keep_informed=KeepInformedForm(),
        certificate=attendance.certificate_available(registration),  # issue 16
        **own_sessions_context(registration),  # parallel sessions (issue 16)
    ), status


@bp.post("/r/<token>/keep-informed")
@limit_public_form
def keep_informed(token: str):
    """The mailbox's owner answers whether they want to hear about future events."""
    registration = registrations.find_by_token(token)
    if registration is None:
        return _invalid_link()
    form = KeepInformedForm()
    if form.validate_on_submit():
        wanted = form.wanted.data == "yes"
        registrations.confirm_keep_informed(registration, wanted)
        flash(
            _("Thank you: we will tell you about future events.")
            if wanted
            else _("We will not tell you about future events."),
            "success",
        )
    return redirect(_manage_url(registration.manage_token))


@bp.route("/r/<token>/cancel", methods=["GET", "POST"])
@limit_public_form
def cancel(token: str):
    """The participant cancels their registration, after confirming on a page of its own."""
    registration = registrations.find_by_token(token)
    if registration is None:
        return _invalid_link()
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            registrations.cancel(registration)
        except ValidationError as error:
            flash(next(iter(error.problems.values())), "danger")
        else:
            flash(_("Your registration is cancelled. Thank you for letting us know."), "success")
        return redirect(_manage_url(registration.manage_token))
    if registrations.change_refused_reason(registration) is not None:
        return redirect(_manage_url(registration.manage_token))  # which says why it cannot be cancelled
    return render_template("registrations/cancel.html", registration=registration, event=registration.event, form=form)


@bp.get("/r/<token>/data.json")
@limit_public_form
def export_data(token: str):
    """Everything kept about the participant, as a JSON file they can save."""
    registration = registrations.find_by_token(token)
    if registration is None:
        return _invalid_link()
    response = jsonify(personal_data.export(registration))
    response.headers["Content-Disposition"] = f'attachment; filename="samverkan-registration-{registration.id}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/r/<token>/erase", methods=["GET", "POST"])
@limit_public_form
def erase(token: str):
    """The participant erases their registration and the data kept with it, after confirming."""
    registration = registrations.find_by_token(token)
    if registration is None:
        return _invalid_link()
    form = EraseForm()
    if form.validate_on_submit():
        event = registration.event
        personal_data.erase(registration, by=None, reason="participant", never_invite=form.never_invite.data)
        return render_template("registrations/erased.html", event=event)
    found = personal_data.footprint_of(registration)
    return render_template(
        "registrations/erase.html", registration=registration, event=registration.event, form=form, found=found
    )
