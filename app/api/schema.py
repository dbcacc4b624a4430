"""The JSON shapes of the public API; a stable contract for regions' websites."""

from flask import url_for

from app.models import Event, Region
from app.services.events import seats_left
from app.timezones import utc_to_local


def region_json(region: Region | None) -> dict | None:
    if region is None:
        return None
    return {"code": region.code, "name": region.name}


def event_json(event: Event, seats: int | None) -> dict:
    """One event; `seats` is its seats left (None: no limit), counted by the caller for the whole page."""
    return {
        "id": event.id,
        "title": event.title,
        "kind": event.kind.value,
        "status": event.status.value,
        "region": region_json(event.region),
        "starts_at": utc_to_local(event.starts_at).isoformat(),
        "ends_at": utc_to_local(event.ends_at).isoformat(),
        "venue": {
            "name": event.venue_name,
            "address": event.venue_address,
            "city": event.venue_city,
        },
        "online_url": event.online_url or None,
        "invitation_only": event.invitation_only,
        "capacity": event.capacity,
        "seats_left": seats,
        "url": url_for("public.event", event_id=event.id, _external=True),
    }


def event_detail_json(event: Event) -> dict:
    return {**event_json(event, seats_left(event)), "description_html": event.description_html}
