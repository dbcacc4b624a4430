"""Who may manage what: an event's organisers and the admins."""

from app.models import Event, User


def can_manage(user: User, event: Event) -> bool:
    return user.is_authenticated and (user.is_admin or user in event.organisers)
