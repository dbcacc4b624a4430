"""Each region's page: its progress, events, contact people and calendar feed."""

from app.regions.views import bp

__all__ = ["bp"]
