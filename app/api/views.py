"""The read-only JSON API: regions and published events."""

from datetime import date, datetime, time, timedelta

from flask import Blueprint, current_app, jsonify, request, url_for
from flask_babel import gettext as _

from app.api.schema import event_detail_json, event_json, region_json
from app.cache.page_cache import cached_page
from app.display.timezones import local_to_utc
from app.extensions import db
from app.models import PUBLIC_STATUSES, EventKind
from app.services import events, registrations
from app.services.regions import all_regions, region_by_code
from app.web import params, request_id
from app.web.lookup import public_event_or_404

bp = Blueprint("api", __name__, url_prefix="/api/v1")


class BadParameter(Exception):
    pass


@bp.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    return jsonify(error={"status": 400, "message": str(error), "request_id": request_id.current()}), 400


@bp.get("/regions")
@cached_page(participants=False)
def regions():
    """The 21 regions with their county codes."""
    return jsonify(regions=[region_json(region) for region in all_regions()])


def _date_param(name: str) -> date | None:
    value = request.args.get(name)
    if not value:
        return None
    day = params.iso_date(value)
    if day is None:
        raise BadParameter(
            _(
                "%(name)s must be a date as YYYY-MM-DD, from %(first)s to %(last)s.",
                name=name,
                first=params.FIRST_DAY.isoformat(),
                last=params.LAST_DAY.isoformat(),
            )
        )
    return day


def _int_param(name: str, default: int, low: int, high: int) -> int:
    value = request.args.get(name, "")
    if not value:
        return default
    number = params.whole_number(value, low=low, high=high)
    if number is None:
        raise BadParameter(
            _("%(name)s must be a whole number from %(low)d to %(high)d.", name=name, low=low, high=high)
        )
    return number


@bp.get("/events")
@cached_page
def event_list():
    """Published events, filtered by region code, kind and date range, a page at a time."""
    region = None
    if code := request.args.get("region"):
        region = region_by_code(code)
        if region is None:
            raise BadParameter(_("No region has the code %(code)s.", code=code[:10]))
    kind = None
    if kind_value := request.args.get("kind"):
        try:
            kind = EventKind(kind_value)
        except ValueError:
            raise BadParameter(
                _("kind must be one of: %(kinds)s.", kinds=", ".join(k.value for k in EventKind))
            ) from None
    from_date, to_date = _date_param("from"), _date_param("to")
    if from_date and to_date and to_date < from_date:
        raise BadParameter(_("to must not be before from."))
    page = _int_param("page", 1, 1, 100000)
    per_page = _int_param("per_page", current_app.config["API_PAGE_SIZE"], 1, 200)
    query = events.public_events_query(
        region=region,
        kind=kind,
        starts_from=local_to_utc(datetime.combine(from_date, time())) if from_date else None,
        starts_before=local_to_utc(datetime.combine(to_date + timedelta(days=1), time())) if to_date else None,
        statuses=PUBLIC_STATUSES,
    )
    result = db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)
    args = params.link_args(request.args, drop=("page",))
    seats = registrations.seats_left_by_event(result.items)
    return jsonify(
        events=[event_json(event, seats[event.id]) for event in result.items],
        page=page,
        per_page=per_page,
        total=result.total,
        next=url_for("api.event_list", page=page + 1, **args, _external=True) if result.has_next else None,
    )


@bp.get("/events/<int:event_id>")
@cached_page
def event_detail(event_id: int):
    """One published event with its agenda."""
    event = public_event_or_404(event_id)
    return jsonify(event=event_detail_json(event))
