"""Forms of the invitation pages."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField

from app.display.labels import invitation_status_choices
from app.manage.forms import posted_id
from app.manage.imports import AddressListForm
from app.models import InvitationStatus
from app.web.forms import FilterForm, FilterSelectField, Form, search_field


def language_choices():
    return [
        ("", _l("Each contact's language (Swedish for new addresses)")),
        ("sv", _l("Swedish")),
        ("en", _l("English")),
    ]


class InviteListForm(AddressListForm):
    language = SelectField(
        _l("Language of the invitations"),
        choices=language_choices(),
        default="",
        validate_choice=True,
    )


class InvitationFilterForm(FilterForm):
    """Search and status filter of the invitation list."""

    q = search_field(_l("Name, email address or organisation"))
    status = FilterSelectField(_l("Status"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [("", _l("All statuses"))] + invitation_status_choices()

    def filters(self) -> dict:
        self.validate()
        return {
            "search": self.search(),
            "status": self.chosen(self.status, InvitationStatus),
        }


class ChooseInvitationsForm(Form):
    """Ticked invitations, e.g. whom to remind. Ids not of the event are ignored by the service."""

    chosen = SelectMultipleField(coerce=posted_id, validate_choice=False)


class ChooseContactsForm(Form):
    """Ticked contacts to invite, and the language of their invitations."""

    chosen = SelectMultipleField(coerce=posted_id, validate_choice=False)
    language = SelectField(
        _l("Language of the invitations"),
        choices=language_choices(),
        default="",
        validate_choice=True,
    )
