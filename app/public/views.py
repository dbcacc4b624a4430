"""Pages anyone can read: upcoming events, one event and its agenda, the archive,
calendar files and feeds; language and health."""

from flask import Blueprint, current_app, jsonify, make_response, redirect, render_template, request, url_for

from app.cache.page_cache import cached_page
from app.display.i18n import LANGUAGE_COOKIE
from app.models import HELD_STATUSES, AgendaItem, EventKind, EventStatus
from app.public.forms import EventFilterForm
from app.services import agenda, events, health, regions, registrations
from app.services.calendars import feeds, ical
from app.web.calendar_http import calendar_response
from app.web.lookup import found_or_404, public_event_or_404
from app.web.pagination import paginate
from app.web.params import same_site_path

bp = Blueprint("public", __name__)

PER_PAGE = 20


def _filtered_query(form: EventFilterForm, *, upcoming: bool, statuses=(EventStatus.PUBLISHED,), seats=False):
    """The public list query for the filters that validated; invalid ones are shown, not used."""
    form.validate()
    region = regions.region_by_code(form.region.data) if not form.region.errors else None
    kind = None if form.kind.errors else _known_kind(form.kind.data)
    query = events.public_events_query(
        region=region, kind=kind, upcoming=upcoming, statuses=statuses, with_seats_taken=seats
    )
    return query, region


def _known_kind(value: str | None) -> EventKind | None:
    try:
        return EventKind(value)
    except ValueError:
        return None


@bp.get("/")
@cached_page
def home():
    """Upcoming published events, filterable by region and kind."""
    form = EventFilterForm(request.args)
    query, region = _filtered_query(form, upcoming=True, seats=True)
    page = paginate(query, per_page=PER_PAGE)
    availability = events.availability_by_event(page.items)
    return render_template("public/home.html", form=form, page=page, region=region, availability=availability)


@bp.get("/events/archive")
@cached_page
def archive():
    """Events that have taken place, latest first."""
    form = EventFilterForm(request.args)
    query, region = _filtered_query(form, upcoming=False, statuses=HELD_STATUSES)
    page = paginate(query, per_page=PER_PAGE)
    return render_template("public/archive.html", form=form, page=page, region=region)


@bp.get("/events/<int:event_id>")
@cached_page(participants=False)
def event(event_id: int):
    """An event's public page with its agenda; drafts are not found. The seats left are
    live parts, so registrations leave the rest of the page kept."""
    event = public_event_or_404(event_id, with_seats=True)
    days = agenda.schedule(agenda.public_agenda(event))
    return render_template(
        "public/event.html",
        event=event,
        seats_left=events.seats_left(event),
        days=days,
        registration_closed=registrations.closed_reason(event),
    )


@bp.get("/events/<int:event_id>/agenda", endpoint="agenda")
@cached_page(participants=False)
def agenda_page(event_id: int):
    """The agenda on a page of its own: for phones, and for printing."""
    event = public_event_or_404(event_id)
    days = agenda.schedule(agenda.public_agenda(event))
    return render_template("public/agenda.html", event=event, days=days)


@bp.get("/events/<int:event_id>.ics")
@cached_page(participants=False)
def event_calendar(event_id: int):
    """The event as a calendar file, to add to one's calendar."""
    event = public_event_or_404(event_id)
    return calendar_response(
        lambda: ical.event_ics(event),
        version=("event", event.id, event.updated_at),
        last_modified=event.updated_at,
        download_name=f"event-{event.id}.ics",
    )


@bp.get("/events/<int:event_id>/agenda/<int:item_id>.ics")
@cached_page(participants=False)
def item_calendar(event_id: int, item_id: int):
    """One agenda item as a calendar file."""
    event = public_event_or_404(event_id)
    item = found_or_404(AgendaItem, item_id, event_id=event.id)
    return calendar_response(
        lambda: ical.item_ics(item),
        version=("item", item.id, item.updated_at, event.updated_at),
        last_modified=ical.item_stamp(item),
        download_name=f"event-{event.id}-item-{item.id}.ics",
    )


@bp.get("/calendar.ics")
@cached_page(participants=False)
def calendar_feed():
    """The public events ahead and of the last month, cancelled ones included, as a feed
    calendar programs subscribe to."""
    version = feeds.feed_version()
    return calendar_response(
        lambda: feeds.feed_ics(version),
        version=("all", *version.tag),
        last_modified=version.last_modified,
    )


@bp.app_template_filter()
def webcal(address: str) -> str:
    """An http(s) address as webcal://, which makes calendar programs offer to subscribe."""
    return "webcal://" + address.split("://", 1)[1]


@bp.get("/privacy")
@cached_page(participants=False)
def privacy():
    """The privacy notice: who keeps what about participants, why and for how long."""
    return render_template("public/privacy.html")


@bp.get("/language/<lang>")
def set_language(lang: str):
    """Remember the visitor's language for a year and go back to where they were.

    A plain link rather than a form: choosing a language changes nothing but a
    preference cookie, so the pages that offer it need no session or CSRF token
    and can be served to every anonymous visitor from the page cache.
    """
    target = same_site_path(request.args.get("next")) or url_for("public.home")
    response = make_response(redirect(target))
    response.headers["Cache-Control"] = "no-store"
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    return response


@bp.get("/healthz")
def healthz():
    """For load balancers and monitoring: 200 when the database answers, 503 when not."""
    problem = health.database_problem()
    if problem is None:
        return jsonify(status="ok", database="ok")
    return jsonify(status="error", database="unavailable", detail=problem), 503
