"""What every form of the app shares."""

from flask_wtf import FlaskForm
from wtforms import SelectField


class Form(FlaskForm):
    """A form that can also show the problems a service found, next to their fields."""

    def add_problems(self, problems: dict[str, str]) -> None:
        for name, message in problems.items():
            field = getattr(self, name, None)
            if field is None:
                self.form_errors.append(message)
            else:
                field.errors = [*field.errors, message]


class FilterSelectField(SelectField):
    """A list filter from the query string: empty (or blank) means "all"; a value that is not
    among the choices is an error, shown to the visitor and not applied."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, default="", validate_choice=True, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = valuelist[0].strip()
