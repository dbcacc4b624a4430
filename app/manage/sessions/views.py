"""Organisers' parallel-session pages: set up slots of agenda items to choose between, see
each session's people and waiting list, move people (a full session only when confirmed),
download the CSV and print a door list per room."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.manage.access import managed_event_or_abort
from app.manage.blueprint import bp
from app.manage.sessions.forms import SlotForm, capacities_from
from app.models import Event, ParallelSession, Registration, SessionSlot
from app.services import ValidationError, agenda
from app.services.registrations import session_changes, session_lists
from app.web.downloads import csv_download
from app.web.forms import ConfirmForm, form_status
from app.web.lookup import found_or_404
from app.web.params import record_id


def _sessions_url(event: Event) -> str:
    return url_for("manage.sessions", event_id=event.id)


def _slot_or_404(event: Event, slot_id: int) -> SessionSlot:
    return found_or_404(SessionSlot, slot_id, event_id=event.id)


@bp.get("/events/<int:event_id>/sessions")
def sessions(event_id: int):
    """Every slot with its sessions: seats, who has one, who waits, and moving people."""
    event = managed_event_or_abort(event_id)
    return render_template(
        "manage/sessions/sessions.html", event=event, slots=session_lists.session_lists(event), form=ConfirmForm()
    )


@bp.route("/events/<int:event_id>/sessions/new", methods=["GET", "POST"])
@bp.route("/events/<int:event_id>/sessions/<int:slot_id>/edit", methods=["GET", "POST"])
def edit_slot(event_id: int, slot_id: int | None = None):
    """Make a slot of agenda items that run in parallel, each with its capacity, or change one."""
    event = managed_event_or_abort(event_id)
    slot = _slot_or_404(event, slot_id) if slot_id is not None else None
    items = agenda.agenda_items(event)
    form = SlotForm(obj=slot)
    current = {session.agenda_item_id: session.capacity for session in slot.sessions} if slot else {}
    problems: dict[str, str] = {}
    if form.is_submitted():
        # The capacities are checked with the form's own fields: every problem in one round.
        capacities, bad = capacities_from(request.form, [item.id for item in items])
        if bad:
            problems["items"] = _("A capacity is a whole number from 0 to %(max)d.", max=session_changes.MAX_CAPACITY)
        if form.validate_on_submit() and not bad:
            try:
                session_changes.save_slot(
                    event,
                    title=form.title.data or "",
                    allow_none=bool(form.allow_none.data),
                    capacities=capacities,
                    by=current_user,
                    slot=slot,
                )
            except ValidationError as error:
                problems = error.problems
            else:
                flash(_("The slot is saved."), "success")
                return redirect(_sessions_url(event))
    if form.is_submitted():
        current = {
            item.id: request.form.get(f"capacity_{item.id}", "")
            for item in items
            if request.form.get(f"item_{item.id}") == "y"
        }
    if "title" in problems:
        form.title.errors = [*form.title.errors, problems["title"]]
    status = 400 if problems else form_status(form)
    return render_template(
        "manage/sessions/slot_form.html",
        event=event,
        slot=slot,
        form=form,
        items=items,
        current=current,
        problems=problems,
    ), status


@bp.post("/events/<int:event_id>/sessions/<int:slot_id>/delete")
def delete_slot(event_id: int, slot_id: int):
    """Remove a slot: its items stay on the agenda, the choices made in it go."""
    event = managed_event_or_abort(event_id)
    slot = _slot_or_404(event, slot_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    session_changes.delete_slot(slot, by=current_user)
    flash(_("The slot is removed; its items stay on the agenda."), "success")
    return redirect(_sessions_url(event))


@bp.post("/events/<int:event_id>/sessions/move/<int:registration_id>")
def move_to_session(event_id: int, registration_id: int):
    """Move a person into another session of a slot; into a full one after a confirmation page."""
    event = managed_event_or_abort(event_id)
    registration = found_or_404(Registration, registration_id, event_id=event.id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    target_id = request.form.get("session", "")
    if target_id == "none":
        return _take_out(event, registration)
    target = _session_or_none(target_id)
    if target is None or target.slot.event_id != event.id:
        flash(_("Choose the session to move them to."), "warning")
        return redirect(_sessions_url(event))
    confirmed = request.form.get("beyond_capacity") == "1"
    try:
        session_changes.move(registration, target, by=current_user, beyond_capacity=confirmed)
    except session_changes.NeedsConfirmation:
        return render_template(
            "manage/sessions/move.html", event=event, registration=registration, target=target, full=True, form=form
        ), 409
    except ValidationError as error:
        flash(next(iter(error.problems.values())), "warning")
        return redirect(_sessions_url(event))
    flash(_("%(name)s is moved to %(session)s.", name=registration.name, session=target.item.title), "success")
    return redirect(_sessions_url(event) + f"#session-{target.id}")


def _session_or_none(session_id: str) -> ParallelSession | None:
    found = record_id(session_id)
    return db.session.get(ParallelSession, found) if found is not None else None


def _take_out(event: Event, registration: Registration):
    """No session in the slot of the one the person is in (`from`)."""
    source = _session_or_none(request.form.get("from", ""))
    if source is None or source.slot.event_id != event.id:
        flash(_("Choose the session to move them to."), "warning")
        return redirect(_sessions_url(event))
    try:
        session_changes.take_out(registration, source, by=current_user)
    except ValidationError as error:
        flash(next(iter(error.problems.values())), "warning")
    else:
        flash(_("%(name)s has no session in %(slot)s now.", name=registration.name, slot=source.slot.title), "success")
    return redirect(_sessions_url(event) + f"#session-{source.id}")


@bp.get("/events/<int:event_id>/sessions.csv")
def sessions_export(event_id: int):
    """Every session's people and waiting list as CSV for Excel."""
    event = managed_event_or_abort(event_id)
    data = session_lists.sessions_csv(event)
    session_changes.record_export(event, by=current_user)
    return csv_download(data, f"sessions-{event.id}.csv")


@bp.get("/events/<int:event_id>/sessions/door-list")
def session_door_list(event_id: int):
    """A list to print for each room's door: its sessions in time order, with the people who have a seat."""
    event = managed_event_or_abort(event_id)
    room = request.args.get("room")
    rooms = session_lists.door_lists(event, room=room[:100] if room is not None else None)
    return render_template("manage/sessions/door_list.html", event=event, rooms=rooms)
