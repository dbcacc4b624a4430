"""Logging in and out, two-factor codes, password resets and the organiser's own account."""

from app.auth.views import bp

__all__ = ["bp"]
