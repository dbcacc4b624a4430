"""The organiser's side: resending, revoking and reminding, the list of an event's
invitations, and bounces (the mail worker announces a refused message; see the end)."""

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    UNANSWERED_STATUSES,
    Event,
    Invitation,
    InvitationHistory,
    InvitationStatus,
    InvitationStep,
    OutboxMessage,
    User,
)
from app.models.types import utcnow
from app.services import ValidationError, audit, mail
from app.services.bulk import bulk_insert
from app.services.invitations import address_lists
from app.services.invitations.links import record_step
from app.services.invitations.lists import refuse_if_closed
from app.services.invitations.notices import TEMPLATES, mail_invitation, mail_invitations, recipient
from app.services.search import any_contains


def resend(invitation: Invitation, by: User) -> None:
    """Send the invitation again, with the same link (it bounced, or was lost)."""
    if invitation.status in (InvitationStatus.REVOKED, InvitationStatus.REGISTERED, InvitationStatus.DECLINED):
        raise ValidationError({"form": _("Only invitations that are not answered or revoked can be sent again.")})
    refuse_if_closed(invitation.event, "form")
    status = InvitationStatus.SENT if invitation.status == InvitationStatus.BOUNCED else None
    record_step(invitation, InvitationStep.RESENT, by, status=status)
    mail_invitation(invitation, "invitation")
    audit.record(by, "invitations.resent", event=invitation.event, invitation=invitation.id)
    db.session.commit()


def revoke(invitation: Invitation, by: User) -> None:
    """Withdraw an invitation: its link stops working. A registration made through it stays."""
    if invitation.status == InvitationStatus.REVOKED:
        return
    if invitation.status == InvitationStatus.REGISTERED:
        raise ValidationError(
            {"form": _("This person has registered; cancel the registration on the participant list instead.")}
        )
    record_step(invitation, InvitationStep.REVOKED, by, status=InvitationStatus.REVOKED)
    audit.record(by, "invitations.revoked", event=invitation.event, invitation=invitation.id)
    db.session.commit()


def unanswered(event: Event) -> list[Invitation]:
    """Invitations still waiting for an answer, by name."""
    return list(
        db.session.scalars(
            select(Invitation)
            .options(selectinload(Invitation.history))
            .where(Invitation.event_id == event.id, Invitation.status.in_(UNANSWERED_STATUSES))
            .order_by(func.lower(Invitation.name), Invitation.email)
        )
    )


def remind(event: Event, invitation_ids: Iterable[int], by: User) -> int:
    """Remind the chosen invitees who still have not answered; returns how many were reminded.

    Chosen ids that are not this event's unanswered invitations are ignored.
    """
    refuse_if_closed(event, "form")
    wanted = list(dict.fromkeys(invitation_ids))
    chosen: list[Invitation] = []
    for chunk in address_lists.chunks(wanted):
        chosen.extend(
            db.session.scalars(
                select(Invitation)
                .options(selectinload(Invitation.contact))
                .where(
                    Invitation.id.in_(chunk),
                    Invitation.event_id == event.id,
                    Invitation.status.in_(UNANSWERED_STATUSES),
                )
            )
        )
    if not chosen:
        return 0
    now = utcnow()
    bulk_insert(
        InvitationHistory,
        [
            dict(invitation_id=invitation.id, step=InvitationStep.REMINDED, at=now, actor_name=by.name)
            for invitation in chosen
        ],
    )
    mail_invitations(
        event,
        "invitation_reminder",
        [
            recipient(i.email, i.name, i.locale, i.token, i.contact.unsubscribe_token if i.contact else "")
            for i in chosen
        ],
    )
    audit.record(by, "invitations.reminded", event=event, count=len(chosen))
    db.session.commit()
    return len(chosen)


def _bounce(invitations: Iterable[Invitation]) -> int:
    count = 0
    for invitation in invitations:
        if invitation.status in UNANSWERED_STATUSES:
            record_step(invitation, InvitationStep.BOUNCED, status=InvitationStatus.BOUNCED)
            count += 1
    return count


def bounce_for_message(message: OutboxMessage) -> int:
    """The mail server refused an invitation's message for good; the caller commits."""
    if message.template not in TEMPLATES or message.event_id is None:
        return 0
    return _bounce(
        db.session.scalars(
            select(Invitation).where(Invitation.event_id == message.event_id, Invitation.email == message.recipient)
        )
    )


# The mail worker announces a message the server refused for good; it commits.
mail.refused_for_good.connect(bounce_for_message)


def mark_bounced(email_or_message: str | OutboxMessage) -> int:
    """Mark as bounced the unanswered invitations a refused message (or address) belongs to.

    Given an address (e.g. from a bounce report), every unanswered invitation to it is
    marked. Returns how many were marked.
    """
    if isinstance(email_or_message, OutboxMessage):
        count = bounce_for_message(email_or_message)
    else:
        address = email_or_message.strip().lower()
        count = _bounce(db.session.scalars(select(Invitation).where(Invitation.email == address)))
    db.session.commit()
    return count


def invitations_query(event: Event, *, status: InvitationStatus | None = None, search: str = ""):
    """An event's invitations with their history and registration, by name."""
    query = (
        select(Invitation)
        .options(selectinload(Invitation.history), selectinload(Invitation.registration))
        .where(Invitation.event_id == event.id)
    )
    if status is not None:
        query = query.where(Invitation.status == status)
    if search:
        query = query.where(
            any_contains(
                search,
                func.lower(Invitation.name),
                Invitation.email,
                func.lower(Invitation.organisation),
            )
        )
    return query.order_by(func.lower(Invitation.name), Invitation.email, Invitation.id)


def status_counts(event: Event) -> dict[InvitationStatus, int]:
    counts = dict(
        db.session.execute(
            select(Invitation.status, func.count()).where(Invitation.event_id == event.id).group_by(Invitation.status)
        ).all()
    )
    return {status: counts.get(status, 0) for status in InvitationStatus}
