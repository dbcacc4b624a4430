"""Where the live parts of kept pages get their values (app/cache/live_parts.py; their
macros are templates/_macros/live_parts.html)."""

from flask_wtf.csrf import generate_csrf

from app.cache.live_parts import source
from app.services import registrations


@source("seats_left", "register_label", "waiting_list_notice")
def seats_left(event_id: int, connection) -> int | None:
    return registrations.seats_left_of(event_id, connection)


@source("csrf_field", personal=True)
def csrf_token(key, connection) -> str:
    """The visitor's own CSRF token (set in their session now if they had none)."""
    return generate_csrf()
