"""Pages anyone can read: upcoming events, one event, the archive; language and health."""

from flask import abort, current_app, jsonify, make_response, redirect, render_template, request, url_for
from sqlalchemy import text

from app.extensions import db
from app.i18n import LANGUAGE_COOKIE
from app.models import PUBLIC_STATUSES, Event, EventKind, EventStatus
from app.public import bp
from app.public.forms import EventFilterForm
from app.services import events, registrations

PER_PAGE = 20


def _filtered_query(form: EventFilterForm, *, upcoming: bool, statuses=(EventStatus.PUBLISHED,)):
    """The public list query for the filters that validated; invalid ones are shown, not used."""
    form.validate()
    region = events.region_by_code(form.region.data) if not form.region.errors else None
    kind = None if form.kind.errors else _known_kind(form.kind.data)
    return events.public_events_query(region=region, kind=kind, upcoming=upcoming, statuses=statuses), region


def _known_kind(value: str | None) -> EventKind | None:
    try:
        return EventKind(value)
    except ValueError:
        return None


@bp.get("/")
def home():
    """Upcoming published events, filterable by region and kind."""
    form = EventFilterForm(request.args)
    query, region = _filtered_query(form, upcoming=True)
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template("public/home.html", form=form, page=page, region=region)


@bp.get("/events/archive")
def archive():
    """Events that have taken place, latest first."""
    form = EventFilterForm(request.args)
    query, region = _filtered_query(form, upcoming=False, statuses=events.HELD_STATUSES)
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template("public/archive.html", form=form, page=page, region=region)


@bp.get("/events/<int:event_id>")
def event(event_id: int):
    """An event's public page; drafts are not found."""
    event = db.get_or_404(Event, event_id)
    if event.status not in PUBLIC_STATUSES:
        abort(404)
    return render_template(
        "public/event.html", event=event, seats_left=events.seats_left(event),
        registration_closed=registrations.closed_reason(event),
    )


@bp.get("/privacy")
def privacy():
    """The privacy notice: who keeps what about participants, why and for how long."""
    return render_template("public/privacy.html")


@bp.post("/language")
def set_language():
    """Remember the visitor's language for a year and go back to where they were."""
    lang = request.form.get("lang", "")
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("public.home")
    response = make_response(redirect(target))
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
            secure=request.is_secure,
        )
    return response


@bp.get("/healthz")
def healthz():
    """For load balancers and monitoring: 200 when the database answers, 503 when not."""
    try:
        db.session.execute(text("SELECT 1"))
        return jsonify(status="ok", database="ok")
    except Exception as error:  # any failure to reach the database is "unavailable"
        db.session.rollback()
        return jsonify(status="error", database="unavailable", detail=type(error).__name__), 503
