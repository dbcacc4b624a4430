"""The participant's parallel sessions on their own page (/r/<token>): change the choices,
and download the calendar file with the event and every session they have a seat in."""

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _

from app.registrations.session_fields import chosen, own_sessions_context
from app.registrations.views import _invalid_link, bp
from app.services import ValidationError, registrations
from app.services.calendars.ical import invitation_ics
from app.services.registrations import sessions
from app.services.registrations.session_changes import change_choices
from app.web.forms import form_status
from app.web.security import limit_public_download, limit_public_form


@bp.post("/r/<token>/sessions")
@limit_public_form
def change_sessions(token: str):
    """The participant chooses other sessions; a full one puts them on its waiting list."""
    registration = registrations.find_by_token(token)
    if registration is None:
        return _invalid_link()
    context = own_sessions_context(registration)
    form = context.get("session_form")
    if form is None or registrations.change_refused_reason(registration) is not None:
        return redirect(url_for("registrations.manage", token=registration.manage_token))
    if form.validate_on_submit():
        try:
            made = change_choices(registration, chosen(form, context["slots"]))
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            waiting = [choice for choice in made.values() if choice.status.value == "waitlisted"]
            flash(_("Your sessions are saved."), "success")
            if waiting and registration.holds_seat:
                flash(
                    _(
                        "A session you chose is full: you are on its waiting list, "
                        "and we will email you if a place becomes free."
                    ),
                    "info",
                )
            return redirect(url_for("registrations.manage", token=registration.manage_token) + "#sessions")
    return render_template(
        "registrations/sessions.html", registration=registration, event=registration.event, **context
    ), form_status(form)


@bp.get("/r/<token>/calendar.ics")
@limit_public_download
def own_calendar(token: str):
    """The participant's calendar file: the event and each session they have a seat in."""
    registration = registrations.find_by_token(token)
    if registration is None or not registration.is_active:
        return _invalid_link()
    data = invitation_ics(
        registration.event,
        registration.email,
        registration.name,
        sessions=sessions.seated_items(registration),
        private_link=registration.holds_seat,
    )
    response = make_response(data)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="event-{registration.event_id}.ics"'
    response.headers["Cache-Control"] = "no-store"
    return response
