"""Participants answer an event's feedback survey through their personal link."""

from app.feedback.views import bp

__all__ = ["bp"]
