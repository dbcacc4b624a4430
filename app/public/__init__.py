"""The public pages: home, events, agendas, calendar feeds, privacy notice, health check."""

from app.public import verify_views  # noqa: F401  (certificates, issue 16)
from app.public.views import bp

__all__ = ["bp"]
