"""Organisers' visit pages: the queue of requests, one request with its actions, and
proposing a visit to a region."""

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.display.i18n import current_locale
from app.display.labels import VISIT_STATUS_LABELS
from app.manage.blueprint import bp
from app.manage.visits.forms import (
    AcceptForm,
    AnswerForm,
    AssignForm,
    DeclineForm,
    NoteForm,
    ProposalForm,
    VisitFilterForm,
)
from app.models import RegionContact, VisitRequest
from app.services import ValidationError, regions, visits
from app.services.regions import region_by_code
from app.services.visits import VisitStatusRefused
from app.web.forms import ConfirmForm, form_status
from app.web.lookup import found_or_404
from app.web.pagination import paginate
from app.web.params import link_args, record_id

PER_PAGE = 50


def _visit_or_404(visit_id: int) -> VisitRequest:
    return found_or_404(VisitRequest, visit_id)


@bp.get("/visits")
def visit_queue():
    """Visit requests and proposals, open ones first by default, with filters."""
    form = VisitFilterForm(request.args)
    page = paginate(visits.queue_query(form.filters()), per_page=PER_PAGE)
    list_args = link_args(request.args, keep=("status", "region", "origin", "assignee", "q"))
    return render_template(
        "manage/visits/visits.html",
        form=form,
        page=page,
        counts=visits.status_counts(),
        list_args=list_args,
    )


@bp.get("/visits/<int:visit_id>")
def visit(visit_id: int):
    """One request: what was asked, the thread with internal notes, and what can be done next."""
    return _render_visit(_visit_or_404(visit_id))


def _render_visit(visit: VisitRequest, status: int = 200, **forms):
    assign_form = forms.get("assign") or AssignForm(formdata=None)
    if "assign" not in forms:
        assign_form.assignee.data = str(visit.assignee_id) if visit.assignee_id else ""
    return render_template(
        "manage/visits/visit.html",
        visit=visit,
        log=visits.log(visit),
        confirm=ConfirmForm(),
        assign_form=assign_form,
        note_form=forms.get("note") or NoteForm(formdata=None, prefix="note"),
        answer_form=forms.get("answer") or AnswerForm(formdata=None, prefix="answer"),
        can_accept=visits.can_accept(visit),
        decline_form=forms.get("decline") or DeclineForm(formdata=None, prefix="decline"),
    ), status


def _back(visit: VisitRequest, anchor: str = ""):
    return redirect(url_for("manage.visit", visit_id=visit.id) + anchor)


def _refused(visit: VisitRequest):
    flash(
        _("That is not possible in the request's present status (%(status)s).", status=_status_label(visit)), "danger"
    )
    return _back(visit)


def _status_label(visit: VisitRequest) -> str:
    return str(VISIT_STATUS_LABELS[visit.status])


def _submit(
    visit: VisitRequest,
    form,
    action: Callable[[], object],
    success: str,
    *,
    on_problems: Callable[[], ResponseReturnValue],
    then: Callable[[object], ResponseReturnValue] | None = None,
    anchor: str = "",
) -> ResponseReturnValue:
    """What every form about a request does: when the form is valid, call the service (`action`),
    flash `success` and go back to the request (or to `then(result)`). Problems found by the form
    or the service go next to their fields and `on_problems()` shows the form again; a step the
    request's status does not allow is refused with a message."""
    if form.validate_on_submit():
        try:
            result = action()
        except VisitStatusRefused:
            return _refused(visit)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(success, "success")
            return then(result) if then else _back(visit, anchor)
    return on_problems()


@bp.post("/visits/<int:visit_id>/review")
def review_visit(visit_id: int):
    """Mark a new request as being reviewed (and take it, when nobody has it)."""
    visit = _visit_or_404(visit_id)
    return _submit(
        visit,
        ConfirmForm(),
        lambda: visits.start_review(visit, current_user),
        _("The request is in review."),
        on_problems=lambda: abort(400),
    )


@bp.post("/visits/<int:visit_id>/assign")
def assign_visit(visit_id: int):
    """Give the request to a colleague."""
    visit = _visit_or_404(visit_id)
    form = AssignForm()
    assignee = form.chosen()
    return _submit(
        visit,
        form,
        lambda: visits.assign(visit, assignee, current_user),
        _("Assigned to %(name)s.", name=assignee.name) if assignee else _("Assigned to nobody."),
        on_problems=lambda: _render_visit(visit, 400, assign=form),
    )


@bp.post("/visits/<int:visit_id>/note")
def note_visit(visit_id: int):
    """Add an internal note; the requester never sees it."""
    visit = _visit_or_404(visit_id)
    form = NoteForm(prefix="note")
    return _submit(
        visit,
        form,
        lambda: visits.add_note(visit, form.body.data, current_user),
        _("The note is saved."),
        on_problems=lambda: _render_visit(visit, 400, note=form),
        anchor="#thread",
    )


@bp.post("/visits/<int:visit_id>/answer")
def answer_visit(visit_id: int):
    """Write to the requester: emailed, and shown on their status page."""
    visit = _visit_or_404(visit_id)
    form = AnswerForm(prefix="answer")
    return _submit(
        visit,
        form,
        lambda: visits.answer(visit, form.body.data, current_user),
        _("The answer is sent to %(email)s.", email=visit.contact_email),
        on_problems=lambda: _render_visit(visit, 400, answer=form),
        anchor="#thread",
    )


@bp.route("/visits/<int:visit_id>/accept", methods=["GET", "POST"])
def accept_visit(visit_id: int):
    """Accept, after confirming on its own page: a draft event is made from the request, and the
    requester is told (with the organiser's message, if any)."""
    visit = _visit_or_404(visit_id)
    if not visits.can_accept(visit):
        return _refused(visit)
    form = AcceptForm(prefix="accept")
    return _submit(
        visit,
        form,
        lambda: visits.accept(visit, current_user, form.message.data or ""),
        _("The request is accepted and a draft event is made. Add the venue and the details, then publish it."),
        then=lambda event: redirect(url_for("manage.edit_event", event_id=event.id)),
        on_problems=lambda: (
            render_template("manage/visits/accept.html", visit=visit, form=form),
            400 if form.is_submitted() else 200,
        ),
    )


@bp.post("/visits/<int:visit_id>/decline")
def decline_visit(visit_id: int):
    """Decline the request (or withdraw a proposal); the requester is told."""
    visit = _visit_or_404(visit_id)
    form = DeclineForm(prefix="decline")
    return _submit(
        visit,
        form,
        lambda: visits.decline(visit, current_user, form.message.data or ""),
        _("The request is declined and the requester is told."),
        on_problems=lambda: _render_visit(visit, 400, decline=form),
    )


@bp.post("/visits/<int:visit_id>/reopen")
def reopen_visit(visit_id: int):
    """Take a declined request up again."""
    visit = _visit_or_404(visit_id)
    return _submit(
        visit,
        ConfirmForm(),
        lambda: visits.reopen(visit, current_user),
        _("The request is open again."),
        on_problems=lambda: abort(400),
    )


@bp.route("/visits/propose", methods=["GET", "POST"])
def propose_visit():
    """Propose a visit to a region's contact person; `?region=CODE&contact=ID` fills the form in."""
    form = ProposalForm()
    region = region_by_code(request.args.get("region", "")[:2])
    if not form.is_submitted():
        form.locale.data = current_locale()
        if region is not None:
            form.region.data = region.code
            contact = _contact(region, request.args.get("contact", ""))
            if contact is not None:
                form.contact_name.data, form.contact_email.data = contact.name, contact.email
                form.contact_phone.data, form.organisation.data = contact.phone, contact.organisation
    if form.is_submitted() and form.validate_with(lambda f: visits.problems_with(f.details(), public=False)):
        try:
            visit = visits.propose(form.details(), current_user, locale=form.locale.data)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(_("The proposal is sent to %(email)s.", email=visit.contact_email), "success")
            return redirect(url_for("manage.visit", visit_id=visit.id))
    status = form_status(form)
    contacts = regions.contacts(region) if region is not None else []
    return render_template("manage/visits/propose.html", form=form, region=region, contacts=contacts), status


def _contact(region, contact_id: str) -> RegionContact | None:
    contact_id = record_id(contact_id)
    if contact_id is None:
        return None
    return regions.contact_of(region, contact_id)
