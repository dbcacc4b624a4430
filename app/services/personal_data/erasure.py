"""Erasing a person: their records deleted or anonymised, what the reports count kept."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from app.extensions import db
from app.models import (
    FormAnswer,
    Invitation,
    InvitationHistory,
    OutboxAttachment,
    OutboxMessage,
    Registration,
    SurveyAnswer,
    SurveyLink,
    SurveyResponse,
    User,
    VisitNoteKind,
    VisitOrigin,
    VisitRequest,
)
from app.models.tokens import new_certificate_code, new_token
from app.models.types import utcnow
from app.services import audit, registrations
from app.services.invitations import suppression
from app.services.personal_data.footprint import SHORTEST_NAME, Footprint, footprint, footprint_of
from app.services.personal_data.mentions import mention_pattern, rows_holding, scrub, scrub_mentions

ERASED_DOMAIN = "erased.invalid"


def anonymise(registration: Registration, now: datetime | None = None) -> None:
    """Remove who the person was; keep what is counted. Their mail, their answers to the event's
    questions and their invitation to the event go too; their links and codes (manage link,
    badge and certificate codes, survey link) stop working, and a named response keeps only
    its ratings and choices (what they wrote in their own words goes)."""
    delete_invitations(
        list(
            db.session.scalars(
                select(Invitation.id).where(
                    Invitation.event_id == registration.event_id,
                    Invitation.email == registration.email,
                )
            )
        )
    )
    registration.name = ""
    registration.email = f"erased-{registration.id}@{ERASED_DOMAIN}"
    registration.organisation = ""
    registration.dietary_needs = ""
    registration.accessibility_needs = ""
    registration.keep_informed_at = registration.keep_informed_confirmed_at = None  # nobody left to inform
    registration.manage_token = new_token()  # the old link opens nothing
    registration.checkin_code = new_token()  # nor the printed badge's code
    registration.certificate_code = new_certificate_code()  # nor a certificate's
    registration.erased_at = now or utcnow()
    delete_messages(select(OutboxMessage.id).where(OutboxMessage.registration_id == registration.id))
    # The answers to the event's own questions (a choice may say as much as a text).
    db.session.execute(delete(FormAnswer).where(FormAnswer.registration_id == registration.id))
    for link in list(db.session.scalars(select(SurveyLink).where(SurveyLink.registration_id == registration.id))):
        link.token = new_token()
    db.session.execute(
        delete(SurveyAnswer).where(
            SurveyAnswer.text.is_not(None),
            SurveyAnswer.response_id.in_(
                select(SurveyResponse.id).where(SurveyResponse.registration_id == registration.id)
            ),
        )
    )


def delete_messages(ids_query) -> None:
    ids = list(db.session.scalars(ids_query))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        db.session.execute(delete(OutboxAttachment).where(OutboxAttachment.message_id.in_(chunk)))
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(chunk)))


def delete_invitations(ids: list[int]) -> None:
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        db.session.execute(delete(InvitationHistory).where(InvitationHistory.invitation_id.in_(chunk)))
        db.session.execute(delete(Invitation).where(Invitation.id.in_(chunk)))


def anonymise_visit(visit: VisitRequest, now: datetime, *, keep_thread: bool) -> None:
    """Remove the contact's name, address, phone and organisation and what they wrote; keep
    the region, kind, status, period and audience for the statistics.

    Mail to the contact goes; organisers' mail about the request keeps its text without the
    contact's details. With `keep_thread` (an erasure on request, while organisers may
    still be working on the visit) their own notes stay with those details taken out;
    otherwise (the retention period has passed) the whole thread goes.
    """
    details = [mention_pattern(value) for value in (visit.contact_email, visit.contact_phone) if value]
    if len(visit.contact_name.strip()) >= SHORTEST_NAME:
        details.append(mention_pattern(visit.contact_name.strip(), name=True))
    address = visit.contact_email.lower()
    for message in list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.visit_request_id == visit.id))):
        if message.recipient.lower() == address or not keep_thread:
            delete_messages(select(OutboxMessage.id).where(OutboxMessage.id == message.id))
        else:
            for name in ("subject", "body_text", "body_html"):
                setattr(message, name, scrub(getattr(message, name), details))
    for note in list(visit.notes):
        if note.kind == VisitNoteKind.REPLY or not keep_thread:
            visit.notes.remove(note)  # the contact's own words
        else:
            note.body = scrub(note.body, details)
    visit.message = "" if visit.origin == VisitOrigin.REQUEST else scrub(visit.message, details)
    visit.contact_name = visit.contact_email = visit.contact_phone = visit.organisation = ""
    visit.token = new_token()  # the status link opens nothing
    visit.erased_at = now


@dataclass
class ErasureReport:
    """What an erasure removed, by kind (counts only: the log keeps these, never the data)."""

    registrations: int = 0
    invitations: int = 0
    messages: int = 0
    contact: bool = False
    # The address unsubscribed from invitations: its keyed hash is kept so it is never invited again.
    suppressed: bool = False
    visit_requests: int = 0
    region_contacts: int = 0
    import_rows: int = 0
    # Records kept for others in which the address (or a visit contact's name) was replaced.
    mentions: int = 0

    def as_details(self) -> dict:
        return {key: value for key, value in self.__dict__.items() if value}


def _erase(found: Footprint, *, by: User | None, reason: str, now: datetime, never_invite: bool) -> ErasureReport:
    report = ErasureReport()
    for registration in found.registrations:
        if not registration.event.has_ended:
            registrations.withdraw(registration)  # a seat they held passes on
        anonymise(registration, now)
        audit.record(by, "registration.erased", event=registration.event, registration=registration.id, reason=reason)
        report.registrations += 1
    delete_invitations([invitation.id for invitation in found.invitations])
    report.invitations = len(found.invitations)
    delete_messages(select(OutboxMessage.id).where(OutboxMessage.id.in_([m.id for m in found.messages])))
    report.messages = len(found.messages)
    if never_invite or (found.contact is not None and found.contact.unsubscribed):
        suppression.suppress(found.address)
        report.suppressed = True
    if found.contact is not None:
        db.session.delete(found.contact)
        report.contact = True
    for visit in found.visit_requests:
        anonymise_visit(visit, now, keep_thread=True)
    report.visit_requests = len(found.visit_requests)
    for region_contact in found.region_contacts:
        db.session.delete(region_contact)
    report.region_contacts = len(found.region_contacts)
    for batch in found.import_batches:
        holding = rows_holding(batch, found.address)
        report.import_rows += len(holding)
        # The organiser's confirmation then finds the list changed and shows it again without them.
        batch.rows = [row for row in batch.rows if row not in holding]
        if not batch.rows:
            db.session.delete(batch)
    db.session.flush()
    report.mentions = scrub_mentions(found.address)
    return report


def erase(
    registration: Registration, *, by: User | None = None, reason: str = "participant", never_invite: bool = False
) -> ErasureReport:
    """A participant erases, through their personal link, this registration and everything else
    kept about their address except their other registrations (see the module's docstring).
    A seat it held passes on. With `never_invite` (or when the address had unsubscribed) its
    keyed hash is kept so that it is never invited again. Logged with the counts, without the data."""
    if registration.erased_at is not None:
        return ErasureReport()
    found = footprint_of(registration)
    report = _erase(found, by=by, reason=reason, now=utcnow(), never_invite=never_invite)
    audit.record(by, "person.erased", reason=reason, **report.as_details())
    db.session.commit()
    return report


def erase_person(email: str, *, by: User, never_invite: bool = False) -> ErasureReport:
    """An admin erases everything kept about an address, across all events.

    Raises ValidationError for something that is not an address.
    """
    found = footprint(email)
    report = _erase(found, by=by, reason="admin", now=utcnow(), never_invite=never_invite)
    audit.record(by, "person.erased", reason="admin", **report.as_details())
    db.session.commit()
    return report
