"""Registering for an event, and the participant's own page to change or cancel."""

from app.registrations.views import bp

__all__ = ["bp"]
