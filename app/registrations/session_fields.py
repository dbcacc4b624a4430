"""The parallel-session questions of a registration form: one radio group per slot, added
to a form class for the event at hand (issue 16)."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import InputRequired

from app.models import Registration, SessionSlot
from app.services.registrations.sessions import Choices, choices_of, seats_by_session, slot_field, slots_of
from app.web.forms import Form

NONE = "none"


def with_sessions(form_class: type[Form], slots: list[SessionSlot]) -> type[Form]:
    """`form_class` with a required choice per slot (“none” is a choice where the slot allows it)."""
    if not slots:
        return form_class
    fields = {}
    for slot in slots:
        choices = [(str(session.id), session.item.title) for session in slot.sessions]
        if slot.allow_none:
            choices.append((NONE, _l("None of these")))
        fields[slot_field(slot)] = RadioField(
            slot.title,
            choices=choices,
            default=NONE if slot.allow_none else None,
            validators=[InputRequired(_l("Choose one of the sessions."))],
        )
    return type(f"{form_class.__name__}WithSessions", (form_class,), fields)


def chosen(form: Form, slots: list[SessionSlot]) -> Choices:
    """The sessions chosen in the form: slot id -> session id, or None for none of them."""
    choices: dict[int, int | None] = {}
    for slot in slots:
        value = getattr(form, slot_field(slot)).data
        choices[slot.id] = int(value) if value and value.isdigit() else None
    return choices


def fill(form: Form, slots: list[SessionSlot], current: dict) -> None:
    """Show the registration's present choices (slot id -> SessionChoice)."""
    for slot in slots:
        choice = current.get(slot.id)
        getattr(form, slot_field(slot)).data = str(choice.session_id) if choice else NONE


class SessionChoiceForm(Form):
    """The participant's own page: change the sessions chosen (fields added per event)."""


def own_sessions_context(registration: Registration) -> dict:
    """What the participant's own page shows of the sessions: their choices and a form to change them."""
    slots = slots_of(registration.event, speakers=False)
    if not slots:
        return {"slots": []}
    current = choices_of(registration)
    form = with_sessions(SessionChoiceForm, slots)(prefix="sessions")
    if not form.is_submitted():
        fill(form, slots, current)
    return {
        "slots": slots,
        "session_form": form,
        "session_seats": seats_by_session(registration.event),
        "current_choices": current,
    }
