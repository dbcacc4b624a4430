"""Where an event is, as people look it up: a map search, and the contact to call."""

from urllib.parse import quote_plus

# A search page, not an embedded map: no third-party script or request until the visitor
# chooses to follow the link, and OpenStreetMap needs no account or key.
MAP_SEARCH = "https://www.openstreetmap.org/search?query="


def map_url(event) -> str:
    """A map search for the venue, or "" for an event with no place.

    The street address with the city finds the door; a venue's name alone often finds
    nothing, so it is searched for only when there is no address.
    """
    first = event.venue_address or event.venue_name
    if not first:
        return ""
    parts = [part.strip() for part in (first, event.venue_city) if part and part.strip()]
    return MAP_SEARCH + quote_plus(", ".join(parts))


def phone_link(phone: str) -> str:
    """A tel: address from a number as people write it ("070-123 45 67")."""
    kept = "".join(c for c in phone if c.isdigit() or c == "+")
    return f"tel:{kept}" if kept else ""


FILTERS = {"map_url": map_url, "phone_link": phone_link}
