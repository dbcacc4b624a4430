"""An event's own registration questions: the list with move up/down and remove, the form
of one question, and the common questions to pick from."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.display.i18n import current_locale
from app.display.question_labels import FORM_QUESTION_KIND_LABELS
from app.manage.access import managed_event_or_abort
from app.manage.blueprint import bp
from app.manage.questions.forms import RegistrationQuestionForm
from app.models import Event, FormQuestion
from app.services import ValidationError, questions
from app.web.forms import ConfirmForm, form_status
from app.web.lookup import found_or_404


def _question_or_404(event: Event, question_id: int) -> FormQuestion:
    question = found_or_404(FormQuestion, question_id, event_id=event.id)
    if question.archived_at is not None:
        abort(404)
    return question


def _to_list(event: Event):
    return redirect(url_for("manage.registration_questions", event_id=event.id))


@bp.get("/events/<int:event_id>/questions")
def registration_questions(event_id: int):
    """The questions the event's registration form asks, with the common ones to add."""
    event = managed_event_or_abort(event_id)
    all_questions = questions.event_questions(event)
    return render_template(
        "manage/questions/questions.html",
        event=event,
        asked=questions.asked_questions(all_questions),
        archived=[q for q in all_questions if q.archived_at is not None],
        fixed=questions.fixed_fields_asked(all_questions),
        templates=questions.TEMPLATES,
        kinds=FORM_QUESTION_KIND_LABELS,
        locale=current_locale(),
    )


@bp.route("/events/<int:event_id>/questions/new", methods=["GET", "POST"])
def new_registration_question(event_id: int):
    """Add a question at the end of the form."""
    event = managed_event_or_abort(event_id)
    form = RegistrationQuestionForm.for_question(None, questions.condition_choices(event, locale=current_locale()))
    if form.validate_on_submit():
        try:
            questions.add_question(event, form.details(), by=current_user)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(_("The question is added."), "success")
            return _to_list(event)
    return render_template("manage/questions/question_form.html", event=event, form=form, question=None), form_status(
        form
    )


@bp.route("/events/<int:event_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
def edit_registration_question(event_id: int, question_id: int):
    """Change a question; its kind stays once people have answered it."""
    event = managed_event_or_abort(event_id)
    question = _question_or_404(event, question_id)
    conditions = questions.condition_choices(event, question, locale=current_locale())
    form = RegistrationQuestionForm.for_question(question, conditions)
    if form.validate_on_submit():
        try:
            questions.update_question(question, form.details(), by=current_user)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(_("Your changes are saved."), "success")
            return _to_list(event)
    return render_template(
        "manage/questions/question_form.html", event=event, form=form, question=question
    ), form_status(form)


@bp.post("/events/<int:event_id>/questions/<int:question_id>/<any(up, down, remove):action>")
def change_registration_question(event_id: int, question_id: int, action: str):
    """Move a question up or down, or remove it (its answers are kept)."""
    event = managed_event_or_abort(event_id)
    question = _question_or_404(event, question_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if action == "remove":
        questions.archive(question, by=current_user)
        flash(_("The question is removed from the form. The answers already given are kept."), "success")
    elif not questions.move(question, -1 if action == "up" else 1, by=current_user):
        flash(_("The question cannot move there: a question must come after the answer it depends on."), "warning")
    return _to_list(event)


@bp.post("/events/<int:event_id>/questions/template")
def add_template_question(event_id: int):
    """Add one of the common questions (or turn a fixed field into a question)."""
    event = managed_event_or_abort(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        questions.add_template(event, request.form.get("template", "")[:40], by=current_user)
    except ValidationError as error:
        flash(next(iter(error.problems.values())), "danger")
    else:
        flash(_("The question is added."), "success")
    return _to_list(event)
