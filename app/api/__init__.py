"""The JSON API under /api/v1: regions and published events."""

from app.api.views import bp

__all__ = ["bp"]
