"""What every form of the app shares."""

from flask_wtf import FlaskForm


class Form(FlaskForm):
    """A form that can also show the problems a service found, next to their fields."""

    def add_problems(self, problems: dict[str, str]) -> None:
        for name, message in problems.items():
            field = getattr(self, name, None)
            if field is None:
                self.form_errors.append(message)
            else:
                field.errors = [*field.errors, message]
