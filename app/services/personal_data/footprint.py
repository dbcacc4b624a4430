"""Everything kept about an address, found in one place so the copy and the erasure cover the same."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    Contact,
    ImportBatch,
    Invitation,
    OutboxAttachment,
    OutboxMessage,
    RegionContact,
    Registration,
    SurveyResponse,
    VisitRequest,
)
from app.services.invitations import TEMPLATES as INVITATION_TEMPLATES
from app.services.invitations import suppression
from app.services.personal_data.mentions import mentioning, rows_holding
from app.services.text import normalise_email

# A name shorter than this is not looked for in text: it would match parts of other words.
SHORTEST_NAME = 3


@dataclass
class Footprint:
    """Everything kept about one address that an erasure removes and a copy shows."""

    address: str
    registrations: list[Registration]
    # A participant's other registrations: left alone by their erasure, each has its own link.
    other_registrations: list[Registration]
    contact: Contact | None
    # The address is already on the suppression list (it unsubscribed and was erased before).
    suppressed: bool
    invitations: list[Invitation]
    messages: list[OutboxMessage]
    visit_requests: list[VisitRequest]
    region_contacts: list[RegionContact]
    # Address-list previews waiting for an organiser, with the rows that hold the address.
    import_batches: list[ImportBatch]
    named_responses: list[SurveyResponse]

    @property
    def empty(self) -> bool:
        return not (
            self.registrations
            or self.contact
            or self.invitations
            or self.messages
            or self.visit_requests
            or self.region_contacts
            or self.import_batches
        )

    def import_rows(self) -> int:
        return sum(len(rows_holding(batch, self.address)) for batch in self.import_batches)


def footprint(email: str) -> Footprint:
    """Everything kept about an address (what an admin erases or copies).

    Raises ValidationError for something that is not an address.
    """
    return _footprint(normalise_email(email), None)


def footprint_of(registration: Registration) -> Footprint:
    """What a participant erases or copies through the link of this registration: everything
    kept about its address except their other registrations and what belongs to those (their
    mail, and the invitations they registered through)."""
    return _footprint(registration.email, registration)


def _footprint(address: str, registration: Registration | None) -> Footprint:
    everyone = list(
        db.session.scalars(
            select(Registration)
            .options(selectinload(Registration.event))
            .where(Registration.email == address, Registration.erased_at.is_(None))
            .order_by(Registration.created_at, Registration.id)
        )
    )
    if registration is None:
        chosen, others = everyone, []
    else:
        chosen = [registration] if registration.erased_at is None else []
        others = [r for r in everyone if r.id != registration.id]
    kept_events = {r.event_id for r in others}
    kept_registrations = {r.id for r in others}

    invitations = [
        invitation
        for invitation in db.session.scalars(
            select(Invitation)
            .options(selectinload(Invitation.event), selectinload(Invitation.history))
            .where(Invitation.email == address)
            .order_by(Invitation.created_at, Invitation.id)
        )
        if invitation.event_id not in kept_events
    ]
    messages = [
        message
        for message in db.session.scalars(
            select(OutboxMessage)
            .where(func.lower(OutboxMessage.recipient) == address)
            .options(
                selectinload(OutboxMessage.attachments).load_only(
                    OutboxAttachment.id, OutboxAttachment.message_id, OutboxAttachment.filename
                )
            )
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
        if message.registration_id not in kept_registrations
        and not (message.template in INVITATION_TEMPLATES and message.event_id in kept_events)
    ]
    chosen_ids = [r.id for r in chosen]
    return Footprint(
        address=address,
        registrations=chosen,
        other_registrations=others,
        contact=db.session.scalar(
            select(Contact).options(selectinload(Contact.region)).where(Contact.email == address)
        ),
        suppressed=suppression.is_suppressed(address),
        invitations=invitations,
        messages=messages,
        visit_requests=list(
            db.session.scalars(
                select(VisitRequest)
                .options(selectinload(VisitRequest.region), selectinload(VisitRequest.notes))
                .where(func.lower(VisitRequest.contact_email) == address, VisitRequest.erased_at.is_(None))
                .order_by(VisitRequest.created_at, VisitRequest.id)
            )
        ),
        region_contacts=list(
            db.session.scalars(
                select(RegionContact)
                .options(selectinload(RegionContact.region))
                .where(func.lower(RegionContact.email) == address)
                .order_by(RegionContact.id)
            )
        ),
        import_batches=[
            batch
            for batch in db.session.scalars(
                select(ImportBatch).where(mentioning(ImportBatch.rows, address)).order_by(ImportBatch.id)
            )
            if rows_holding(batch, address)
        ],
        named_responses=list(
            db.session.scalars(
                select(SurveyResponse)
                .options(selectinload(SurveyResponse.answers))
                .where(SurveyResponse.registration_id.in_(chosen_ids))
            )
        )
        if chosen_ids
        else [],
    )
