"""Forms of the organisers' visit pages: the queue's filters, the actions on one request,
and proposing a visit to a region."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Optional

from app.display.labels import VISIT_ORIGIN_LABELS, visit_status_choices
from app.models import VisitOrigin, VisitStatus
from app.services.accounts.users import organisers
from app.services.regions import all_regions, region_by_code
from app.services.visits import LIMITS, NOTE_LIMIT, QueueFilters
from app.visits.forms import VisitFieldsForm
from app.web.forms import FilterForm, Form, at_most, search_field

ALL = "all"


class VisitFilterForm(FilterForm):
    """The queue's search and filters."""

    status = SelectField(_l("Status"), validators=[Optional()])
    region = SelectField(_l("Region"), validators=[Optional()])
    origin = SelectField(_l("From"), validators=[Optional()])
    assignee = SelectField(_l("Assigned to"), validators=[Optional()])
    q = search_field(_l("Name, email address or organisation"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [("", _l("Open requests")), (ALL, _l("All requests"))] + visit_status_choices()
        self.region.choices = [("", _l("All regions"))] + [(r.code, r.name) for r in all_regions()]
        self.origin.choices = [("", _l("Both"))] + [(o.value, str(label)) for o, label in VISIT_ORIGIN_LABELS.items()]
        self.assignee.choices = [("", _l("Anyone")), ("none", _l("Nobody"))] + [
            (str(u.id), u.name) for u in organisers()
        ]

    def filters(self) -> QueueFilters:
        self.validate()
        status, region, origin, assignee = (
            self._valid(f) for f in (self.status, self.region, self.origin, self.assignee)
        )
        return QueueFilters(
            status=VisitStatus(status) if status and status != ALL else None,
            open_only=not status,
            region=region_by_code(region) if region else None,
            origin=VisitOrigin(origin) if origin else None,
            assignee_id=0 if assignee == "none" else int(assignee) if assignee else None,
            search=self.search(),
        )

    @staticmethod
    def _valid(field) -> str:
        """The field's value when it is one of its choices; "" (no filter) for anything else."""
        value = field.data or ""
        return value if value in {key for key, _ in field.choices} else ""


class AssignForm(Form):
    assignee = SelectField(_l("Assigned to"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(u.id): u for u in organisers()}
        self.assignee.choices = [("", _l("Nobody"))] + [(key, u.name) for key, u in self.people.items()]

    def chosen(self):
        return self.people.get(self.assignee.data or "")


def _note_field(label, description=None, required=True):
    validators = [at_most(NOTE_LIMIT)]
    if required:
        validators.insert(0, DataRequired(_l("Write something first.")))
    return TextAreaField(label, validators=validators, description=description)


class NoteForm(Form):
    body = _note_field(_l("Internal note"), _l("Only organisers see this."))


class AnswerForm(Form):
    body = _note_field(_l("Answer to the requester"), _l("Emailed to the requester and shown on their status page."))


class AcceptForm(Form):
    """Accept, with an optional message that is emailed to the requester."""

    message = _note_field(
        _l("Message with the acceptance (optional)"),
        _l("Emailed with the decision and shown on their status page."),
        required=False,
    )


class DeclineForm(Form):
    """Decline (or withdraw a proposal), with an optional message that is emailed to the requester."""

    message = _note_field(
        _l("Message with the decline (optional)"),
        _l("Emailed with the decision and shown on their status page."),
        required=False,
    )


class ProposalForm(VisitFieldsForm):
    """An organiser proposes a visit to a region's contact person."""

    locale = SelectField(_l("Language of the email"), choices=[("sv", "Svenska"), ("en", "English")])
    message = TextAreaField(
        _l("Your message"),
        validators=[DataRequired(_l("Write something first.")), at_most(LIMITS["message"])],
        description=_l("Why you would like to come, and what you have in mind."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_name.label.text = _l("The region's contact person")
        self.contact_email.description = _l("The proposal and the link to answer it are sent here.")
