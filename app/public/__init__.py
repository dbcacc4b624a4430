"""The public pages: home, events, agendas, calendar feeds, privacy notice, health check."""

from app.public.views import bp

__all__ = ["bp"]
