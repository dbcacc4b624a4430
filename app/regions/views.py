"""Region pages: the regions' events, people reached, contact people and progress in the
five-step model; for organisers also the region's visit requests."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.cache.page_cache import cached_page
from app.display.i18n import current_locale
from app.models import HELD_STATUSES, Region, RegionContact
from app.regions.forms import RegionContactForm, StepRecordForm
from app.services import ValidationError, events, regions, visits
from app.services.calendars import feeds
from app.services.events import public_events_query
from app.services.regions import all_regions, region_by_code
from app.web.calendar_http import calendar_response
from app.web.forms import ConfirmForm, form_status
from app.web.lookup import found_or_404

bp = Blueprint("regions", __name__, url_prefix="/regions")


def _region_or_404(code: str) -> Region:
    region = region_by_code(code)
    if region is None:
        abort(404)
    return region


def _step_form() -> StepRecordForm:
    form = StepRecordForm()
    locale = current_locale()
    form.step_number.choices = [(step.number, f"{step.number}. {step.name_for(locale)}") for step in regions.steps()]
    return form


@bp.get("/")
@cached_page(participants=False)
def index():
    """All 21 regions with their current step."""
    return render_template(
        "regions/index.html", regions=all_regions(), current=regions.current_steps(), steps=regions.steps()
    )


@bp.get("/<code>")
@cached_page
def show(code: str):
    """A region's upcoming and past events, its current step and its history."""
    region = regions.with_history(code)
    if region is None:
        abort(404)
    return _render_region(region, _step_form() if current_user.is_authenticated else None)


@bp.get("/<code>/calendar.ics")
@cached_page(participants=False)
def calendar_feed(code: str):
    """The region's public events as a feed calendar programs subscribe to."""
    region = _region_or_404(code)
    version = feeds.feed_version(region)
    return calendar_response(
        lambda: feeds.feed_ics(version, region),
        version=("region", region.code, *version.tag),
        last_modified=version.last_modified,
    )


@bp.post("/<code>/steps")
@login_required
def record_step(code: str):
    """An organiser records the region's step in the five-step model."""
    region = _region_or_404(code)
    form = _step_form()
    if form.validate_on_submit():
        try:
            regions.record_step(
                region, form.step_number.data, form.recorded_on.data, form.note.data or "", current_user
            )
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(_("The step is recorded."), "success")
            return redirect(url_for("regions.show", code=region.code) + "#steps")
    return _render_region(region, form), 400


# A region gathers years of events: its page shows the next and the latest few and
# links to the full lists, so it stays as quick with 500 events as with 5.
UPCOMING_SHOWN = 20
PAST_SHOWN = 10


def _render_region(region: Region, form: StepRecordForm | None, contact_form: RegionContactForm | None = None):
    upcoming, more_upcoming = events.first(
        public_events_query(region=region, upcoming=True, load_region=False, with_seats_taken=True), UPCOMING_SHOWN
    )
    past, more_past = events.first(
        public_events_query(region=region, upcoming=False, statuses=HELD_STATUSES, load_region=False), PAST_SHOWN
    )
    organiser = current_user.is_authenticated
    open_visits, past_visits = visits.for_region(region) if organiser else ([], [])
    return render_template(
        "regions/show.html",
        region=region,
        upcoming=upcoming,
        availability=events.availability_by_event(upcoming),
        past=past,
        form=form,
        more_upcoming=more_upcoming,
        more_past=more_past,
        steps=regions.steps(),
        records=region.step_records,
        reached=regions.people_reached(region),
        feedback=regions.average_feedback(region),
        contacts=regions.contacts(region),
        contact_form=contact_form or (RegionContactForm(formdata=None) if organiser else None),
        open_visits=open_visits,
        past_visits=past_visits,
        confirm=ConfirmForm() if organiser else None,
    )


def _contact_or_404(region: Region, contact_id: int) -> RegionContact:
    return found_or_404(RegionContact, contact_id, region_id=region.id)


@bp.post("/<code>/contacts")
@login_required
def add_contact(code: str):
    """An organiser adds a contact person to the region."""
    region = _region_or_404(code)
    form = RegionContactForm()
    if form.validate_on_submit():
        try:
            regions.add_contact(region, form.details(), current_user)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(_("The contact person is added."), "success")
            return redirect(url_for("regions.show", code=region.code) + "#contacts")
    return _render_region(region, _step_form(), contact_form=form), 400


@bp.route("/<code>/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@login_required
def edit_contact(code: str, contact_id: int):
    """An organiser changes a contact person's details."""
    region = _region_or_404(code)
    contact = _contact_or_404(region, contact_id)
    form = RegionContactForm(obj=contact)
    if form.validate_on_submit():
        try:
            regions.update_contact(contact, form.details(), current_user)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("regions.show", code=region.code) + "#contacts")
    status = form_status(form)
    return render_template("regions/contact_form.html", region=region, contact=contact, form=form), status


@bp.post("/<code>/contacts/<int:contact_id>/delete")
@login_required
def remove_contact(code: str, contact_id: int):
    """An organiser removes a contact person."""
    region = _region_or_404(code)
    contact = _contact_or_404(region, contact_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = contact.name
    regions.remove_contact(contact, current_user)
    flash(_("%(name)s is removed from the region's contacts.", name=name), "success")
    return redirect(url_for("regions.show", code=region.code) + "#contacts")
