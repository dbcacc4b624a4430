"""The invitee's personal link: opening it, registering through it, declining."""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Invitation, InvitationHistory, InvitationStatus, InvitationStep, Registration, User
from app.models.tokens import looks_like_token
from app.models.types import utcnow
from app.services import ValidationError, registrations
from app.services.registrations import Outcome, RegistrationDetails


def find_by_token(token: str) -> Invitation | None:
    """The invitation a link opens: None for a revoked one or anything that is not exactly its token."""
    if not looks_like_token(token):
        return None
    invitation = db.session.scalar(
        select(Invitation)
        .options(selectinload(Invitation.event), selectinload(Invitation.registration))
        .where(Invitation.token == token)
    )
    if invitation is None or invitation.status == InvitationStatus.REVOKED:
        return None
    return invitation


def record_step(
    invitation: Invitation, step: InvitationStep, actor: User | None = None, status: InvitationStatus | None = None
) -> None:
    now = utcnow()
    invitation.history.append(InvitationHistory(step=step, at=now, actor_name=actor.name if actor else ""))
    if status is not None:
        invitation.status, invitation.status_at = status, now


def mark_opened(invitation: Invitation) -> None:
    """The invitee opened their link: the organiser sees it was read (once)."""
    if invitation.status in (InvitationStatus.SENT, InvitationStatus.BOUNCED):
        record_step(invitation, InvitationStep.OPENED, status=InvitationStatus.OPENED)
        db.session.commit()


def register(invitation: Invitation, details: RegistrationDetails, *, locale: str, choices=None, slots=None) -> Outcome:
    """Register the invitee through their link, always with the invited address.

    Raises ValidationError and RegistrationClosed as registrations.register does;
    `choices` are the parallel sessions chosen and `slots` the event's slots, as there (issue 16).
    """
    # The service registers the invited address, whatever address was posted.
    outcome = registrations.register(
        invitation.event,
        details,
        locale=locale,
        invitation=invitation,
        on_created=lambda registration: record_registration(invitation, registration),
        choices=choices,
        slots=slots,
    )
    if not outcome.created and invitation.registration_id != outcome.registration.id:
        # Registered before, from the public page: the invitation is answered all the same.
        record_registration(invitation, outcome.registration)
        db.session.commit()
    return outcome


def record_registration(invitation: Invitation, registration: Registration) -> None:
    """Link the invitation to the registration made through it; the caller commits."""
    invitation.registration = registration
    record_step(invitation, InvitationStep.REGISTERED, status=InvitationStatus.REGISTERED)


def can_decline(invitation: Invitation) -> bool:
    return invitation.status not in (InvitationStatus.REGISTERED, InvitationStatus.DECLINED) and (
        not invitation.event.has_ended
    )


def decline(invitation: Invitation) -> None:
    """The invitee will not come. A registered invitee cancels their registration instead."""
    if invitation.status == InvitationStatus.DECLINED:
        return
    if invitation.status == InvitationStatus.REGISTERED:
        raise ValidationError({"form": _("You have already registered; cancel through the link in your confirmation.")})
    if not can_decline(invitation):
        raise ValidationError({"form": _("The event has already taken place.")})
    record_step(invitation, InvitationStep.DECLINED, status=InvitationStatus.DECLINED)
    db.session.commit()
