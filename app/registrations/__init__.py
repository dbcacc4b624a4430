"""Registering for an event, and the participant's own page to change or cancel."""

from app.registrations import session_views  # noqa: F401  (parallel sessions, issue 16)
from app.registrations.views import bp

__all__ = ["bp"]
