"""Organisers' participant pages: the list with search and filters, hand changes, CSV
export, check-in at the door and a printable list."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.display.i18n import current_locale
from app.manage.access import managed_event_or_abort
from app.manage.blueprint import bp
from app.manage.participants.forms import ParticipantFilterForm
from app.models import Event, Registration, RegistrationStatus
from app.services import questions, registrations
from app.services.registrations import session_lists, sessions
from app.services.registrations.participant_csv import participants_csv
from app.web.downloads import csv_download
from app.web.forms import ConfirmForm
from app.web.lookup import found_or_404
from app.web.pagination import paginate
from app.web.params import link_args

PER_PAGE = 100


def _registration_or_404(event: Event, registration_id: int) -> Registration:
    return found_or_404(Registration, registration_id, event_id=event.id)


def _list_args() -> dict:
    """The list's search and filters, to come back to the same view after an action."""
    return link_args(request.args, keep=("q", "status", "sector", "answer", "page"))


def _filter_form(event: Event) -> tuple[ParticipantFilterForm, list]:
    """The list's filters, with the answers of the event's questions to filter by."""
    event_questions = questions.event_questions(event)
    choices = questions.filter_choices(event_questions, current_locale())
    return ParticipantFilterForm(request.args, answer_choices=choices), event_questions


@bp.get("/events/<int:event_id>/participants")
def participants(event_id: int):
    """Everyone registered for an event, with counts, search and filters."""
    event = managed_event_or_abort(event_id)
    form, event_questions = _filter_form(event)
    query = registrations.participants_query(event, **form.filters())
    page = paginate(query, per_page=PER_PAGE)
    answers = questions.answer_table(event, event_questions, page.items, locale=current_locale())
    return render_template(
        "manage/participants/participants.html",
        event=event,
        form=form,
        page=page,
        counts=registrations.status_counts(event),
        seats_left=registrations.seats_left(event),
        list_args=_list_args(),
        # Parallel sessions (issue 16): each listed person's choices, in one query.
        session_choices=sessions.choices_by_registration(event, [r.id for r in page.items]),
        answers=answers,
    )


ACTIONS = {
    "confirm": registrations.confirm_by_organiser,
    "waitlist": registrations.move_to_waitlist,
    "cancel": registrations.cancel_by_organiser,
}


@bp.get("/events/<int:event_id>/participants/<int:registration_id>/<any(waitlist, cancel):action>")
def confirm_participant_change(event_id: int, registration_id: int, action: str):
    """Ask before cancelling a registration or moving it to the waiting list: both mail the
    person and may hand their seat on, so one stray click must not do it."""
    event = managed_event_or_abort(event_id)
    registration = _registration_or_404(event, registration_id)
    return render_template(
        "manage/participants/confirm_change.html",
        event=event,
        registration=registration,
        action=action,
        form=ConfirmForm(),
        list_args=_list_args(),
    )


@bp.post("/events/<int:event_id>/participants/<int:registration_id>/<any(confirm, waitlist, cancel):action>")
def change_participant(event_id: int, registration_id: int, action: str):
    """Confirm, move to the waiting list or cancel one registration by hand."""
    event = managed_event_or_abort(event_id)
    registration = _registration_or_404(event, registration_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    over_capacity = ACTIONS[action](registration, by=current_user)
    messages = {
        "confirm": _("%(name)s is confirmed.", name=registration.name),
        "waitlist": _("%(name)s is on the waiting list.", name=registration.name),
        "cancel": _("%(name)s's registration is cancelled.", name=registration.name),
    }
    flash(messages[action], "success")
    if over_capacity:
        flash(_("The event now has more participants than seats."), "warning")
    return redirect(url_for("manage.participants", event_id=event.id, **_list_args()))


@bp.get("/events/<int:event_id>/participants.csv")
def participants_export(event_id: int):
    """The participant list (with the current filters) as CSV for Excel."""
    event = managed_event_or_abort(event_id)
    form, event_questions = _filter_form(event)
    rows = registrations.participants(event, **form.filters())
    # Every answer (removed questions' too) and every session choice after the fixed columns;
    # made before the export is logged, whose commit would make every row read again.
    answers = questions.answer_table(event, event_questions, rows, locale=current_locale(), archived=True)
    data = participants_csv(rows, answers, session_lists.session_columns(event))
    registrations.record_export(event, by=current_user, rows=len(rows))
    return csv_download(data, f"participants-{event.id}.csv")


@bp.get("/events/<int:event_id>/checkin")
def checkin(event_id: int):
    """A phone-friendly list of confirmed participants to mark who came."""
    event = managed_event_or_abort(event_id)
    form = ParticipantFilterForm(request.args)
    search = form.filters()["search"]
    people = registrations.at_the_door(event, search)
    counts = registrations.status_counts(event)
    return render_template(
        "manage/participants/checkin.html",
        event=event,
        form=form,
        people=people,
        search=search,
        attended=counts[RegistrationStatus.ATTENDED],
        expected=counts[RegistrationStatus.ATTENDED] + counts[RegistrationStatus.CONFIRMED],
    )


@bp.post("/events/<int:event_id>/checkin/<int:registration_id>")
def checkin_person(event_id: int, registration_id: int):
    """Mark one person as attended, or undo it."""
    event = managed_event_or_abort(event_id)
    registration = _registration_or_404(event, registration_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    attended = request.form.get("attended") == "1"
    registrations.check_in(registration, attended, by=current_user)
    if attended:
        flash(_("%(name)s is checked in.", name=registration.name), "success")
    else:
        flash(_("Check-in undone for %(name)s.", name=registration.name), "info")
    q = request.args.get("q", "")[:100]
    return redirect(url_for("manage.checkin", event_id=event.id, **({"q": q} if q else {})))


@bp.get("/events/<int:event_id>/participants/print")
def participants_print(event_id: int):
    """A list to print for the door: confirmed participants by name, with a column to sign."""
    event = managed_event_or_abort(event_id)
    people = registrations.at_the_door(event)
    waiting = registrations.waiting_count(event)
    answers = questions.answer_table(event, questions.event_questions(event), people, locale=current_locale())
    return render_template(
        "manage/participants/print.html", event=event, people=people, waiting=waiting, answers=answers
    )
