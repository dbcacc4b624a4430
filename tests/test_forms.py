"""What the forms share: one set of fields for a person, wherever a person is asked for, and
one wording for a length limit, whichever form it is in."""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from flask import render_template_string
from flask_babel import gettext
from wtforms import Form as WTForm
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

import app as app_package
from app.manage.contacts.forms import ContactForm
from app.registrations.forms import ChangeRegistrationForm, InvitationRegistrationForm, RegistrationForm

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
PERSON = ["name", "email", "organisation", "sector", "municipality", "dietary_needs", "accessibility_needs"]


@pytest.mark.parametrize(
    "form_class", [RegistrationForm, InvitationRegistrationForm, ChangeRegistrationForm, ContactForm]
)
def test_the_person_fields_are_those_the_form_has_in_one_order(app, form_class):
    with app.test_request_context():
        form = form_class(formdata=None)
        html = render_template_string(
            '{% from "_macros/person.html" import person_fields %}{{ person_fields(form) }}',
            form=form,
        )
    shown = re.findall(r'<label class="form-label" for="(\w+)"', html)
    assert shown == [name for name in PERSON if name in form]


@pytest.mark.parametrize(
    "template",
    [
        "registrations/register.html",
        "invitations/invitation.html",
        "registrations/manage.html",
        "manage/contacts/form.html",
    ],
)
def test_every_form_about_a_person_takes_its_fields_from_the_macro(template):
    source = (TEMPLATES / template).read_text()
    assert "{{ person_fields(form) }}" in source
    assert not re.search(r"field\(form\.(name|email|organisation|sector|municipality)\)", source)


def _form_classes():
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        if module.name.rsplit(".", 1)[-1].endswith("forms"):
            for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
                if issubclass(cls, WTForm) and cls.__module__ == module.name:
                    yield cls


def test_every_length_limit_on_every_form_says_at_most_n_characters():
    limits = {}
    for cls in _form_classes():
        for name, field in inspect.getmembers(cls, lambda member: isinstance(member, UnboundField)):
            validators = field.kwargs.get("validators") or (field.args[1] if len(field.args) > 1 else [])
            for validator in validators:
                if isinstance(validator, Length):
                    limits[f"{cls.__module__}.{cls.__name__}.{name}"] = (validator.max, str(validator.message))
    assert len(limits) > 40  # the walk found the forms
    worded_otherwise = {
        where: message for where, (n, message) in limits.items() if message != gettext("At most %(n)d characters.", n=n)
    }
    assert worded_otherwise == {}
