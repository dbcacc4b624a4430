"""Public visit pages: the request form (/visit) and the status page behind its secret link."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.display.i18n import current_locale
from app.extensions import limiter
from app.models import VisitRequest, VisitStatus
from app.services import ValidationError, visits
from app.services.visits import VisitStatusRefused
from app.visits.forms import ProposalAnswerForm, VisitRequestForm
from app.web.forms import form_status
from app.web.security import limit_public_form

bp = Blueprint("visits", __name__)


def _sent(response) -> bool:
    # Only requests that were made count against the limit, not refused input.
    return response.status_code == 302


@bp.route("/visit", methods=["GET", "POST"])
@limit_public_form
@limiter.limit(lambda: current_app.config["VISIT_REQUEST_RATE_LIMIT"], methods=["POST"], deduct_when=_sent)
def request_visit():
    """'Do you want us to come to your region?' The public form; no account needed."""
    form = VisitRequestForm()
    if not form.is_submitted() and request.args.get("region"):
        form.region.data = request.args["region"][:2]
    if form.is_submitted() and form.validate_with(lambda f: visits.problems_with(f.details(), public=True)):
        try:
            visit = visits.submit_request(form.details(), locale=current_locale())
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(
                _("Thank you! Your request is sent. We have emailed you a confirmation with the link to this page."),
                "success",
            )
            return redirect(url_for("visits.status", token=visit.token))
    status = form_status(form)
    return render_template("visits/request.html", form=form), status


def _visit_or_none(token: str) -> VisitRequest | None:
    return visits.find_by_token(token)


def _invalid_link():
    return render_template("visits/invalid_link.html"), 404


@bp.get("/visit/<token>")
def status(token: str):
    """The request's status and the organisers' answers, for the requester only."""
    visit = _visit_or_none(token)
    if visit is None:
        return _invalid_link()
    return _render_status(visit, ProposalAnswerForm()), 200


def _render_status(visit: VisitRequest, form: ProposalAnswerForm):
    can_answer = visit.is_proposal and visit.status == VisitStatus.PROPOSED
    return render_template(
        "visits/status.html",
        visit=visit,
        notes=visits.public_notes(visit),
        form=form if can_answer else None,
    )


@bp.post("/visit/<token>/answer")
@limit_public_form
def answer_proposal(token: str):
    """The region's contact accepts, declines or suggests another period for a proposed visit."""
    visit = _visit_or_none(token)
    if visit is None:
        return _invalid_link()
    if not visit.is_proposal:
        abort(404)
    form = ProposalAnswerForm()
    if form.validate_on_submit():
        try:
            visits.respond_to_proposal(visit, form.choice.data, message=form.message.data or "", period=form.period())
        except ValidationError as error:
            form.add_problems(error.problems)
        except VisitStatusRefused:
            flash(_("This proposal has already been answered."), "info")
            return redirect(url_for("visits.status", token=token))
        else:
            flash(_("Thank you for your answer. We have told the organisers."), "success")
            return redirect(url_for("visits.status", token=token))
    return _render_status(visit, form), 400
