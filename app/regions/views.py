"""Region pages: the regions' events and their progress in the five-step model."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.calendar_http import calendar_response
from app.extensions import db
from app.i18n import current_locale
from app.models import Region
from app.regions import bp
from app.regions.forms import StepRecordForm
from app.services import ValidationError, feeds, regions
from app.services.events import HELD_STATUSES, all_regions, public_events_query, region_by_code


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
def index():
    """All 21 regions with their current step."""
    return render_template(
        "regions/index.html", regions=all_regions(), current=regions.current_steps(), steps=regions.steps()
    )


@bp.get("/<code>")
def show(code: str):
    """A region's upcoming and past events, its current step and its history."""
    region = _region_or_404(code)
    return _render_region(region, _step_form() if current_user.is_authenticated else None)


@bp.get("/<code>/calendar.ics")
def calendar_feed(code: str):
    """The region's public events as a feed calendar programs subscribe to."""
    region = _region_or_404(code)
    version = feeds.feed_version(region)
    return calendar_response(
        lambda: feeds.feed_ics(region), version=("region", region.code, *version.tag),
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


def _first(query, count: int) -> tuple[list, bool]:
    """The first `count` events of a query, and whether there are more."""
    events = db.session.scalars(query.limit(count + 1)).all()
    return events[:count], len(events) > count


def _render_region(region: Region, form: StepRecordForm | None):
    upcoming, more_upcoming = _first(public_events_query(region=region, upcoming=True), UPCOMING_SHOWN)
    past, more_past = _first(
        public_events_query(region=region, upcoming=False, statuses=HELD_STATUSES), PAST_SHOWN
    )
    return render_template(
        "regions/show.html", region=region, upcoming=upcoming, past=past, form=form,
        more_upcoming=more_upcoming, more_past=more_past,
        steps=regions.steps(), records=regions.history(region),
    )
