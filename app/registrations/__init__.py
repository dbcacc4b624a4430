"""Registering for an event, and the participant's own page to change or cancel."""

from app.registrations import (
    certificate_views,  # noqa: F401  (attendance certificates, issue 16)
    session_views,  # noqa: F401  (parallel sessions, issue 16)
)
from app.registrations.views import bp

__all__ = ["bp"]
