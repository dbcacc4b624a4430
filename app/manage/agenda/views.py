"""Organisers' agenda pages: build an event's programme item by item."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.manage.access import managed_event_or_abort
from app.manage.agenda.forms import AgendaItemForm
from app.manage.blueprint import bp
from app.models import AgendaItem, Event
from app.services import ValidationError, agenda
from app.web.forms import ConfirmForm, form_status
from app.web.lookup import found_or_404
from app.web.params import record_id


def _managed_item_or_abort(event_id: int, item_id: int) -> tuple[Event, AgendaItem]:
    event = managed_event_or_abort(event_id)
    return event, found_or_404(AgendaItem, item_id, event_id=event.id)


def _agenda_url(event: Event, item: AgendaItem | None = None) -> str:
    anchor = f"#item-{item.id}" if item is not None else ""
    return url_for("manage.agenda", event_id=event.id) + anchor


def _flash_flags(event: Event, item: AgendaItem) -> None:
    for message in agenda.flagged(event, agenda.agenda_items(event)).get(item.id, []):
        flash(_("Check “%(title)s”: %(problem)s", title=item.title, problem=message), "warning")


@bp.get("/events/<int:event_id>/agenda", endpoint="agenda")
def agenda_page(event_id: int):
    """The event's agenda by day, with quick actions on every item and warnings to check."""
    event = managed_event_or_abort(event_id)
    items = agenda.agenda_items(event)
    return render_template(
        "manage/agenda/agenda.html",
        event=event,
        days=agenda.schedule(items),
        flags=agenda.flagged(event, items),
    )


def _render_form(form: AgendaItemForm, event: Event, item: AgendaItem | None):
    status = form_status(form)
    rooms = sorted({other.room for other in event.agenda_items if other.room})
    return render_template("manage/agenda/item_form.html", form=form, event=event, item=item, rooms=rooms), status


def _after_save(event: Event, item: AgendaItem, message: str):
    flash(message, "success")
    _flash_flags(event, item)
    if request.form.get("then") == "next":
        return redirect(url_for("manage.new_agenda_item", event_id=event.id, after=item.id))
    return redirect(_agenda_url(event, item))


@bp.route("/events/<int:event_id>/agenda/new", methods=["GET", "POST"])
def new_agenda_item(event_id: int):
    """Add an item; it starts where the previous one (`?after=ID`, or the last) ends."""
    event = managed_event_or_abort(event_id)
    form = AgendaItemForm(event)
    if not form.is_submitted():
        after_id = record_id(request.args.get("after"))
        after = agenda.item_of(event, after_id) if after_id else None
        form.prefill(*agenda.suggested_times(event, after))
    if form.validate_on_submit():
        try:
            item = agenda.add_item(event, form.details)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            return _after_save(event, item, _("The item is added to the agenda."))
    return _render_form(form, event, None)


@bp.route("/events/<int:event_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
def edit_agenda_item(event_id: int, item_id: int):
    """Change an item's time, room, text or speakers."""
    event, item = _managed_item_or_abort(event_id, item_id)
    form = AgendaItemForm.for_item(item)
    if form.validate_on_submit():
        try:
            agenda.update_item(item, form.details)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            return _after_save(event, item, _("Your changes are saved."))
    return _render_form(form, event, item)


def _confirmed_item(event_id: int, item_id: int) -> tuple[Event, AgendaItem]:
    event, item = _managed_item_or_abort(event_id, item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return event, item


@bp.post("/events/<int:event_id>/agenda/<int:item_id>/delete")
def delete_agenda_item(event_id: int, item_id: int):
    """Remove an item from the agenda."""
    event, item = _confirmed_item(event_id, item_id)
    title = item.title
    agenda.delete_item(item)
    flash(_("“%(title)s” is removed from the agenda.", title=title), "success")
    return redirect(_agenda_url(event))


@bp.post("/events/<int:event_id>/agenda/<int:item_id>/duplicate")
def duplicate_agenda_item(event_id: int, item_id: int):
    """Copy an item, with its speakers, to right after it; then edit the copy."""
    event, item = _confirmed_item(event_id, item_id)
    copy = agenda.duplicate_item(item)
    flash(_("This is a copy. Change what differs and save."), "success")
    return redirect(url_for("manage.edit_agenda_item", event_id=event.id, item_id=copy.id))


@bp.post("/events/<int:event_id>/agenda/<int:item_id>/move/<any(up, down):direction>")
def move_agenda_item(event_id: int, item_id: int, direction: str):
    """Swap an item with the one before or after it in the same room."""
    event, item = _confirmed_item(event_id, item_id)
    try:
        other = agenda.move_item(item, direction)
    except agenda.MoveRefused as refused:
        messages = {
            "first": _("“%(title)s” is already first in its room that day.", title=item.title),
            "last": _("“%(title)s” is already last in its room that day.", title=item.title),
            "outside": _("Swapping would move “%(title)s” past the event's last day.", title=item.title),
        }
        flash(messages[refused.reason], "info")
    else:
        flash(_("“%(title)s” and “%(other)s” have swapped places.", title=item.title, other=other.title), "success")
        _flash_flags(event, item)
    return redirect(_agenda_url(event, item))
