"""Organisers' feedback pages: the survey and its questions, the results with charts,
who has not answered, the CSV export, the printable event report, and ratings compared
across events."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.manage.access import managed_event_or_abort
from app.manage.blueprint import bp
from app.manage.feedback.forms import FeedbackFilterForm, QuestionForm, SurveySettingsForm
from app.models import Event, Survey, SurveyQuestion
from app.services import ValidationError, surveys
from app.services.surveys import reports
from app.services.surveys import results as survey_results
from app.web.downloads import csv_download
from app.web.forms import ConfirmForm, form_status
from app.web.lookup import found_or_404


def _survey_or_404(event: Event) -> Survey:
    survey = surveys.survey_of(event)
    if survey is None:
        abort(404)
    return survey


def _question_or_404(survey: Survey, question_id: int) -> SurveyQuestion:
    return found_or_404(SurveyQuestion, question_id, survey_id=survey.id)


def _to_results(event: Event):
    return redirect(url_for("manage.feedback", event_id=event.id))


def _to_questions(event: Event):
    return redirect(url_for("manage.survey_questions", event_id=event.id))


@bp.get("/events/<int:event_id>/feedback")
def feedback(event_id: int):
    """The survey's results: response rate, a chart per question, free texts; filters for named surveys."""
    event = managed_event_or_abort(event_id)
    survey = surveys.survey_of(event)
    if survey is None:
        return render_template("manage/feedback/start.html", event=event, confirm=ConfirmForm())
    form = FeedbackFilterForm(request.args, municipalities=survey_results.municipality_choices(survey))
    filters = form.filters()
    return render_template(
        "manage/feedback/results.html",
        event=event,
        survey=survey,
        form=form,
        results=survey_results.results(survey, filters),
        filter_args=_filter_args(form),
    )


def _filter_args(form: FeedbackFilterForm) -> dict:
    filters = form.filters()
    args = {"sector": filters.sector.value} if filters.sector else {}
    if filters.municipality:
        args["municipality"] = filters.municipality
    return args


@bp.post("/events/<int:event_id>/feedback/create")
def create_survey(event_id: int):
    """Give the event its survey from the default template."""
    event = managed_event_or_abort(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        surveys.create_from_template(event, current_user)
    except ValidationError as error:
        flash(next(iter(error.problems.values())), "danger")
        return _to_results(event)
    flash(_("The survey is ready, made from the default questions. Check them and the settings."), "success")
    return _to_questions(event)


@bp.route("/events/<int:event_id>/feedback/settings", methods=["GET", "POST"])
def survey_settings(event_id: int):
    """When the survey opens and closes, its reminder, and whether answers are anonymous."""
    event = managed_event_or_abort(event_id)
    survey = _survey_or_404(event)
    form = SurveySettingsForm.for_survey(survey)
    if form.validate_on_submit() and (settings := form.settings()) is not None:
        try:
            surveys.update_settings(survey, settings, current_user)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(_("Your changes are saved."), "success")
            return _to_results(event)
    status = form_status(form)
    return render_template(
        "manage/feedback/settings.html",
        event=event,
        survey=survey,
        form=form,
        answered=surveys.has_responses(survey),
    ), status


@bp.get("/events/<int:event_id>/feedback/questions")
def survey_questions(event_id: int):
    """The survey's questions in order, to change, move, add or remove."""
    event = managed_event_or_abort(event_id)
    survey = _survey_or_404(event)
    return render_template(
        "manage/feedback/questions.html",
        event=event,
        survey=survey,
        answered=surveys.has_responses(survey),
    )


@bp.route("/events/<int:event_id>/feedback/questions/new", methods=["GET", "POST"])
def new_question(event_id: int):
    """Add a question at the end of the survey."""
    event = managed_event_or_abort(event_id)
    survey = _survey_or_404(event)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            surveys.add_question(survey, form.details(), current_user)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(_("The question is added."), "success")
            return _to_questions(event)
    return _question_form(form, event, None)


@bp.route("/events/<int:event_id>/feedback/questions/<int:question_id>/edit", methods=["GET", "POST"])
def edit_question(event_id: int, question_id: int):
    """Change a question's wording, kind, answers or whether it is required."""
    event = managed_event_or_abort(event_id)
    question = _question_or_404(_survey_or_404(event), question_id)
    form = QuestionForm.for_question(question)
    if form.validate_on_submit():
        try:
            surveys.update_question(question, form.details(), current_user)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(_("Your changes are saved."), "success")
            return _to_questions(event)
    return _question_form(form, event, question)


def _question_form(form: QuestionForm, event: Event, question: SurveyQuestion | None):
    status = form_status(form)
    answered = question is not None and surveys.has_responses(question.survey)
    return render_template(
        "manage/feedback/question_form.html",
        form=form,
        event=event,
        question=question,
        answered=answered,
    ), status


@bp.post("/events/<int:event_id>/feedback/questions/<int:question_id>/<any(up, down, delete):action>")
def change_question(event_id: int, question_id: int, action: str):
    """Move a question up or down, or remove it."""
    event = managed_event_or_abort(event_id)
    question = _question_or_404(_survey_or_404(event), question_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if action == "delete":
        try:
            surveys.delete_question(question, current_user)
        except ValidationError as error:
            flash(next(iter(error.problems.values())), "danger")
        else:
            flash(_("The question is removed."), "success")
    else:
        surveys.move_question(question, -1 if action == "up" else 1, current_user)
    return _to_questions(event)


@bp.get("/events/<int:event_id>/feedback/pending")
def feedback_pending(event_id: int):
    """Who was invited and has not answered yet (named surveys only)."""
    event = managed_event_or_abort(event_id)
    survey = _survey_or_404(event)
    return render_template(
        "manage/feedback/pending.html",
        event=event,
        survey=survey,
        people=survey_results.not_answered(survey),
    )


@bp.get("/events/<int:event_id>/feedback.csv")
def feedback_export(event_id: int):
    """All answers (with the current filters) as CSV for Excel; the download is logged."""
    event = managed_event_or_abort(event_id)
    survey = _survey_or_404(event)
    form = FeedbackFilterForm(request.args, municipalities=survey_results.municipality_choices(survey))
    try:
        data = survey_results.export_responses(survey, current_user, form.filters())
    except survey_results.TooFewResponses:
        flash(
            _(
                "The answers can be downloaded once %(n)d people have answered, so that nobody can be "
                "recognised by them.",
                n=current_app.config["FEEDBACK_MIN_GROUP"],
            ),
            "info",
        )
        return redirect(url_for("manage.feedback", event_id=event.id, **_filter_args(form)))
    return csv_download(data, f"feedback-{event.id}.csv")


@bp.get("/events/<int:event_id>/report")
def event_report(event_id: int):
    """A printable report of the event: participants, attendance and feedback, for funders."""
    event = managed_event_or_abort(event_id)
    report = reports.event_report(event, surveys.survey_of(event))
    return render_template("manage/feedback/report.html", event=event, report=report)


@bp.get("/feedback")
def feedback_comparison():
    """Average ratings of the organiser's events by kind and by region, year by year, and per event."""
    return render_template(
        "manage/feedback/comparison.html",
        comparison=reports.comparison(current_user),
    )
