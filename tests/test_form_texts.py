"""What a form's labels and hints say is the catalogue's text, character for character
(issue 14): a lazily translated text is printed as text, never as markup, so a hint such as
"Anna Andersson <anna.andersson@linkoping.se>" keeps its address."""

import importlib
import pkgutil
from html.parser import HTMLParser

import pytest
from flask import render_template_string
from flask_babel import force_locale
from wtforms import FieldList, FormField, HiddenField, SelectFieldBase, SubmitField
from wtforms.fields.core import UnboundField

import app as app_package
from app.web.forms import Form

RENDER = '{% from "_macros/forms.html" import field %}{{ field(form.f) }}'


class _Texts(HTMLParser):
    """The visible text of the label and of the hint of one rendered field."""

    def __init__(self):
        super().__init__()
        self.label, self.hint, self._in = "", "", []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for") == "f":  # the field's own, not its options'
            self._in.append("label")
        elif tag == "div" and attrs.get("id", "").endswith("-hint"):
            self._in.append("hint")
        else:
            self._in.append(None)

    def handle_endtag(self, tag):
        if self._in:
            self._in.pop()

    def handle_data(self, data):
        where = next((w for w in reversed(self._in) if w), None)
        if where:
            setattr(self, where, getattr(self, where) + data)


def _every_form_class() -> list[type]:
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        if module.name.rsplit(".", 1)[-1] in ("forms", "imports"):
            importlib.import_module(module.name)
    found, todo = [], [Form]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def _declared_fields() -> list[tuple[str, UnboundField]]:
    fields = []
    for cls in _every_form_class():
        for name in dir(cls):
            unbound = getattr(cls, name, None)
            if isinstance(unbound, UnboundField) and not issubclass(
                unbound.field_class, HiddenField | SubmitField | FieldList | FormField
            ):
                fields.append((f"{cls.__module__}.{cls.__name__}.{name}", unbound))
    return fields


FIELDS = _declared_fields()


def _text(value) -> str:
    return " ".join(str(value).split())


def test_every_form_module_is_found():
    names = {name.rsplit(".", 1)[0] for name, _ in FIELDS}
    assert len(FIELDS) > 100
    assert "app.manage.imports.AddressListForm" in names and "app.visits.forms.VisitRequestForm" in names


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_every_label_and_hint_shows_the_catalogues_text(app, locale):
    checked_hints = 0
    with app.test_request_context(), force_locale(locale):
        for name, unbound in FIELDS:
            kwargs = dict(unbound.kwargs)
            if issubclass(unbound.field_class, SelectFieldBase) and kwargs.get("choices") is None:
                kwargs["choices"] = []
            one = type("One", (Form,), {"f": unbound.field_class(*unbound.args, **kwargs)})
            form = one(meta={"csrf": False})
            texts = _Texts()
            texts.feed(render_template_string(RENDER, form=form))
            label = unbound.args[0] if unbound.args else unbound.kwargs.get("label")
            if label is not None:
                assert _text(texts.label) == _text(label), name
            description = unbound.kwargs.get("description")
            if description:
                assert _text(texts.hint) == _text(description), name
                checked_hints += 1
    assert checked_hints > 20


def test_the_paste_hint_shows_its_example_address(client, auth, organiser, make_event):
    auth.login(organiser)
    event = make_event(organisers=[organiser])
    page = client.get(f"/manage/events/{event.id}/invitations/new").get_data(as_text=True)
    assert "&lt;anna.andersson@linkoping.se&gt;" in page
