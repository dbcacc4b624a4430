"""Answering the feedback survey through the personal link (/s/<token>) in the invitation."""

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.display.formatting import short_datetime
from app.feedback.forms import AnswerForm
from app.models import SurveyLink
from app.models.types import utcnow
from app.services import ValidationError, surveys
from app.services.surveys import AlreadyAnswered, SurveyClosed
from app.web.security import limit_public_form

bp = Blueprint("feedback", __name__)

# Anonymous surveys: the browser keeps the key to its own answers, scoped to the link's path.
EDIT_KEY_COOKIE = "survey_key"


def _path(token: str) -> str:
    return url_for("feedback.answer", token=token)


@bp.route("/s/<token>", methods=["GET", "POST"])
@limit_public_form
def answer(token: str):
    """A participant's survey: answer it, and change the answers until it closes."""
    link = surveys.find_link(token)
    if link is None:
        return render_template("feedback/invalid_link.html"), 404
    survey = link.survey
    closed = surveys.closed_reason(survey)
    edit_key = request.cookies.get(EDIT_KEY_COOKIE)
    form = AnswerForm()
    problems: dict[str, str] = {}
    values = None
    already_elsewhere = False
    if closed is None and form.validate_on_submit():
        try:
            outcome = surveys.submit(link, request.form, edit_key=edit_key)
        except ValidationError as error:
            problems, values = error.problems, request.form
        except SurveyClosed as error:
            closed = str(error)
        except AlreadyAnswered:
            already_elsewhere = True
        else:
            return _saved(link, token, outcome)
    response = surveys.response_for(link, edit_key)
    if values is None:
        values = surveys.form_values(survey, response)
    if survey.anonymous and response is None and not already_elsewhere:
        already_elsewhere = surveys.has_answered(link)
    return render_template(
        "feedback/answer.html",
        link=link,
        survey=survey,
        event=survey.event,
        form=form,
        closed=closed,
        problems=problems,
        values=values,
        answered=response is not None,
        already_elsewhere=already_elsewhere,
    ), 400 if problems else 200


def _saved(link: SurveyLink, token: str, outcome: surveys.Submitted):
    when = short_datetime(link.survey.closes)
    if outcome.created and link.survey.anonymous:
        flash(
            _(
                "Thank you! Your answers are saved. You can change them in this browser through this link "
                "until %(when)s.",
                when=when,
            ),
            "success",
        )
    elif outcome.created:
        flash(
            _("Thank you! Your answers are saved. You can change them through this link until %(when)s.", when=when),
            "success",
        )
    else:
        flash(_("Your changes are saved."), "success")
    response = redirect(_path(token))
    if outcome.edit_key:
        lifetime = max(link.survey.closes - utcnow(), timedelta(0)) + timedelta(days=1)
        response.set_cookie(
            EDIT_KEY_COOKIE,
            outcome.edit_key,
            max_age=int(lifetime.total_seconds()),
            path=_path(token),
            secure=request.is_secure,
            httponly=True,
            samesite="Lax",
        )
    return response
