"""A region asks for a visit with a public form and follows it through a personal link."""

from app.visits.views import bp

__all__ = ["bp"]
