"""Organisers' pages: their events, and creating, editing and publishing them."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.display.i18n import current_locale
from app.manage.access import managed_event_or_abort
from app.manage.blueprint import bp
from app.manage.events.forms import EventForm
from app.models import Event
from app.services import ValidationError, audit, events, questions, registrations, visits
from app.web.forms import ConfirmForm, form_status
from app.web.pagination import paginate

PER_PAGE = 50


@bp.get("/")
def dashboard():
    """The events this organiser manages (all of them for an admin)."""
    page = paginate(events.managed_events_query(current_user), per_page=PER_PAGE)
    return render_template("manage/events/dashboard.html", page=page, confirm=ConfirmForm())


@bp.route("/events/new", methods=["GET", "POST"])
def new_event():
    """Create a draft event."""
    form = EventForm.for_new_event(current_user)
    if form.validate_on_submit():
        try:
            event = events.create_event(form.details, current_user)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(_("The event is saved as a draft. Publish it when it is ready."), "success")
            return redirect(url_for("manage.event", event_id=event.id))
    return _render_form(form, event=None)


@bp.get("/events/<int:event_id>")
def event(event_id: int):
    """An event's page for its organisers: details, status and actions."""
    event = managed_event_or_abort(event_id)
    return render_template(
        "manage/events/event.html",
        event=event,
        confirm=ConfirmForm(),
        seats_left=events.seats_left(event),
        counts=registrations.status_counts(event),
        visit_request=visits.for_event(event),
        phase=events.phase(event).value,
        answer_counts=questions.choice_counts(event, current_locale()),
    )


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit_event(event_id: int):
    """Change an event's details."""
    event = managed_event_or_abort(event_id)
    form = EventForm.for_event(event)
    if form.validate_on_submit():
        # A new time or place is mailed to every participant with a seat: say so first, and
        # let the organiser choose (a typo's correction need not reach 80 inboxes).
        choice = request.form.get("notify")
        try:
            preview = events.preview_change(event, form.details)
            # Asked again when the time or place changed after the question (Enter in a field
            # sends the form's first button, "tell them", with it).
            if preview.to_notify and (choice not in ("yes", "no") or request.form.get("previewed") != preview.change):
                return _render_form(form, event=event, preview=preview)
            saved = events.save_changes(event, form.details, current_user, notify=choice != "no")
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            _say_what_was_saved(saved)
            return redirect(url_for("manage.event", event_id=event.id))
    return _render_form(form, event=event)


def _say_what_was_saved(saved: events.SavedChanges) -> None:
    if saved.mailed:
        flash(
            ngettext(
                "Your changes are saved. %(num)d participant was mailed about the new time or place.",
                "Your changes are saved. %(num)d participants were mailed about the new time or place.",
                saved.mailed,
            ),
            "success",
        )
    else:
        flash(_("Your changes are saved. No one was mailed."), "success")
    if saved.agenda_outside:
        flash(
            ngettext(
                "%(num)d agenda item is now outside the event's times: check the agenda.",
                "%(num)d agenda items are now outside the event's times: check the agenda.",
                saved.agenda_outside,
            ),
            "warning",
        )


def _render_form(form: EventForm, event: Event | None, preview: events.ChangePreview | None = None):
    status = form_status(form)
    return render_template("manage/events/event_form.html", form=form, event=event, preview=preview), status


def _status_action(event_id: int, action, done_message: str, refused_message: str, *, to_dashboard=False):
    """Run one CSRF-protected status change and say how it went."""
    event = managed_event_or_abort(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action(event, current_user)
    except events.StatusChangeRefused:
        flash(refused_message, "danger")
    except ValidationError as error:
        flash(_("Complete the event first: %(problems)s", problems=" ".join(error.problems.values())), "danger")
    else:
        flash(done_message, "success")
        if to_dashboard:
            return redirect(url_for("manage.dashboard"))
    return redirect(url_for("manage.event", event_id=event_id))


@bp.get("/events/<int:event_id>/log")
def event_log(event_id: int):
    """Who did what to the event, newest first."""
    event = managed_event_or_abort(event_id)
    return render_template("manage/events/event_log.html", event=event, entries=audit.event_log(event))


@bp.post("/events/<int:event_id>/publish")
def publish_event(event_id: int):
    """Make a draft public."""
    return _status_action(
        event_id, events.publish_event, _("The event is published."), _("Only a draft can be published.")
    )


@bp.post("/events/<int:event_id>/cancel")
def cancel_event(event_id: int):
    """Cancel an event; it stays visible, marked as cancelled."""
    return _status_action(
        event_id,
        events.cancel_event,
        _("The event is cancelled."),
        _("Only a draft or a published event can be cancelled."),
    )


@bp.post("/events/<int:event_id>/complete")
def complete_event(event_id: int):
    """Mark a held event as completed."""
    return _status_action(
        event_id,
        events.complete_event,
        _("The event is marked as completed."),
        _("Only a published event that has ended can be marked as completed."),
    )


@bp.post("/events/<int:event_id>/delete")
def delete_event(event_id: int):
    """Delete a draft."""
    return _status_action(
        event_id,
        events.delete_draft,
        _("The draft is deleted."),
        _("Only drafts can be deleted; cancel a published event instead."),
        to_dashboard=True,
    )


@bp.post("/events/<int:event_id>/duplicate")
def duplicate_event(event_id: int):
    """Copy an event into a new draft."""
    event = managed_event_or_abort(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    copy = events.duplicate_event(event, current_user)
    flash(_("This is a copy. Change what differs and publish it when ready."), "success")
    return redirect(url_for("manage.edit_event", event_id=copy.id))
