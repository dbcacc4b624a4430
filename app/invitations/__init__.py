"""An invitee's personal link: the invitation, registering through it, declining, unsubscribing."""

from app.invitations.views import bp

__all__ = ["bp"]
