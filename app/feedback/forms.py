"""The participant's answer form: CSRF only; the questions come from the survey."""

from app.web.forms import Form


class AnswerForm(Form):
    """The participant's answers; the questions are read from the request by the survey service."""
