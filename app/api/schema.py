"""The JSON shapes of the public API; a stable contract for regions' websites."""

from flask import url_for

from app.display.timezones import utc_to_local
from app.models import AgendaItem, Event, Region, Speaker
from app.services import agenda
from app.services.events import seats_left


def region_json(region: Region | None) -> dict | None:
    if region is None:
        return None
    return {"code": region.code, "name": region.name}


# Default of event_json's `seats`: count this event's seats (lists count a whole page at once).
COUNT = object()


def event_json(event: Event, seats: int | None | object = COUNT) -> dict:
    """One event; `seats` is its seats left (None: no limit) when the caller counted them."""
    if seats is COUNT:
        seats = seats_left(event)
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
        "online_url": event.public_online_url or None,
        "invitation_only": event.invitation_only,
        "capacity": event.capacity,
        "seats_left": seats,
        "url": url_for("public.event", event_id=event.id, _external=True),
        "ical_url": url_for("public.event_calendar", event_id=event.id, _external=True),
    }


def speaker_json(speaker: Speaker) -> dict:
    return {"name": speaker.name, "role": speaker.role, "organisation": speaker.organisation}


def agenda_item_json(item: AgendaItem) -> dict:
    return {
        "id": item.id,
        "starts_at": utc_to_local(item.starts_at).isoformat(),
        "ends_at": utc_to_local(item.ends_at).isoformat(),
        "title": item.title,
        "room": item.room,
        "description_html": item.description_html,
        "speakers": [speaker_json(speaker) for speaker in item.speakers],
        "ical_url": url_for("public.item_calendar", event_id=item.event_id, item_id=item.id, _external=True),
    }


def event_detail_json(event: Event, agenda_items: list[AgendaItem] | None = None) -> dict:
    """An event with its description and agenda (items in time order, with speakers)."""
    if agenda_items is None:
        agenda_items = agenda.agenda_items(event)
    return {
        **event_json(event),
        "description_html": event.description_html,
        "agenda": [agenda_item_json(item) for item in agenda_items],
    }
