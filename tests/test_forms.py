"""What the forms share: one set of fields for a person, wherever a person is asked for."""

import re
from pathlib import Path

import pytest
from flask import render_template_string

from app.manage.invitation_forms import ContactForm
from app.registrations.forms import ChangeRegistrationForm, InvitationRegistrationForm, RegistrationForm

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
PERSON = ["name", "email", "organisation", "sector", "municipality", "dietary_needs", "accessibility_needs"]


@pytest.mark.parametrize("form_class", [RegistrationForm, InvitationRegistrationForm, ChangeRegistrationForm,
                                        ContactForm])
def test_the_person_fields_are_those_the_form_has_in_one_order(app, form_class):
    with app.test_request_context():
        form = form_class(formdata=None)
        html = render_template_string(
            '{% from "_macros/person.html" import person_fields %}{{ person_fields(form) }}', form=form,
        )
    shown = re.findall(r'<label class="form-label" for="(\w+)"', html)
    assert shown == [name for name in PERSON if name in form]


@pytest.mark.parametrize("template", [
    "registrations/register.html", "invitations/invitation.html", "registrations/manage.html",
    "manage/contact_form.html",
])
def test_every_form_about_a_person_takes_its_fields_from_the_macro(template):
    source = (TEMPLATES / template).read_text()
    assert "{{ person_fields(form) }}" in source
    assert not re.search(r"field\(form\.(name|email|organisation|sector|municipality)\)", source)
