"""What every form of the app shares."""

from functools import cache

from babel.support import Translations
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.i18n import messages_path
from wtforms.validators import Length, Optional, ValidationError

from app.services.text import is_web_address


@cache
def _wtforms_translations(locale: str) -> Translations:
    """WTForms' own messages in one language, read from disk once per process
    (Flask-WTF would read and parse the catalogue again on every request)."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


def at_most(n: int) -> Length:
    """A length limit with the app's one wording for it ("At most 200 characters."), the one the
    services use too, rather than WTForms' own."""
    return Length(max=n, message=_l("At most %(n)d characters.", n=n))


def web_address(field_form, field) -> None:
    """A WTForms check: an absolute http(s) address (the services' rule, is_web_address)."""
    if field.data and not is_web_address(field.data.strip()):
        raise ValidationError(_l("Enter a full web address starting with https://."))


def form_status(form) -> int:
    """The status of a page that shows a form: 400 when it was sent back with problems, else 200."""
    return 400 if form.is_submitted() and form.errors else 200


def plain_text(text):
    """A lazy translation as the plain text it stands for.

    Flask-Babel's lazy strings claim to be markup (they have `__html__`), so Jinja and WTForms
    would print them unescaped: a hint like "Anna <anna@example.com>" would lose its address.
    """
    return str(text) if isinstance(text, LazyString) else text


class Form(FlaskForm):
    """A form that can also show the problems a service found, next to their fields."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _wtforms_translations(str(get_locale()))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            field.label.text = plain_text(field.label.text)
            field.description = plain_text(field.description)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            # "abc" in a number field fails WTForms' parsing ("Not a valid integer value") and
            # then every range check; the first range message says what to type, so show only it.
            checks = [e for e in field.errors if e not in field.process_errors]
            if field.process_errors and checks:
                field.errors = checks[:1]
            if isinstance(field.errors, list | tuple):  # a FieldList's errors are per row
                field.errors = [plain_text(e) for e in field.errors]
        self.form_errors = [plain_text(e) for e in self.form_errors]
        return valid

    def validate_with(self, problems_of) -> bool:
        """Validate the sent form and the service's rules together, so every problem shows at
        once rather than in two rounds: `problems_of(form)` returns the service's problems by
        field name, and a field that already has a problem of its own keeps only that."""
        valid = self.validate_on_submit()
        problems = {name: message for name, message in problems_of(self).items() if not self._has_errors(name)}
        self.add_problems(problems)
        return valid and not problems

    def _has_errors(self, name: str) -> bool:
        field = getattr(self, name, None)
        return bool(field is not None and field.errors)

    def add_problems(self, problems: dict[str, str]) -> None:
        for name, message in problems.items():
            field = getattr(self, name, None)
            if field is None:
                self.form_errors.append(plain_text(message))
            else:
                field.errors = [*field.errors, plain_text(message)]


class ConfirmForm(Form):
    """An empty form: a CSRF-protected button for publish, cancel, delete, check-in and the like."""


class FilterSelectField(SelectField):
    """A list filter from the query string: empty (or blank) means "all"; a value that is not
    among the choices is an error, shown to the visitor and not applied."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, default="", validate_choice=True, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = valuelist[0].strip()


# Longest search text a list takes.
MAX_SEARCH = 100


def search_field(description) -> StringField:
    """The search box of a list; `description` says what it looks in."""
    return StringField(_l("Search"), validators=[Optional(), at_most(MAX_SEARCH)], description=description)


class FilterForm(Form):
    """A list's search and filters, read from the query string (no CSRF token: it changes
    nothing). A filter that does not validate is shown with its problem and not applied."""

    class Meta:
        csrf = False

    def search(self) -> str:
        """The text of the search box (`q`), or "" when it did not validate."""
        return (self.q.data or "").strip() if not self.q.errors else ""

    @staticmethod
    def chosen(field, convert):
        """`convert(value)` (an enum, a region) of a filter that has a value and validated, else None."""
        return convert(field.data) if field.data and not field.errors else None


def error_list(form) -> list[tuple[str, str, str]]:
    """Every problem of a form for its error summary, in the order of its fields: (the field's
    name, the id of the input to jump to, the message). A group of checkboxes or radio buttons
    is reached through its first option, a row of a list (a speaker) through its own fields;
    problems of the whole form have neither name nor id."""
    found: list[tuple[str, str, str]] = []

    def add(field):
        if field.type in ("FieldList", "FormField"):
            for part in field:
                add(part)
            return
        messages = [str(plain_text(e)) for e in field.errors if not isinstance(e, dict | list)]
        if field.type in ("CSRFTokenField", "HiddenField"):
            found.extend(("", "", message) for message in messages)
            return
        grouped = field.widget.__class__.__name__ in ("ListWidget", "TableWidget")
        target = f"{field.id}-0" if grouped else field.id
        found.extend((field.name, target, message) for message in messages)

    for field in form:
        add(field)
    # An event's own questions are not WTForms fields (app/registrations/questions.py).
    questions = getattr(form, "questions", None)
    if questions and not questions.locked:
        found.extend(questions.error_targets())
    found.extend(("", "", str(plain_text(message))) for message in getattr(form, "form_errors", []))
    return found
