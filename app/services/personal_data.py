"""Participants' personal data: a copy for them, erasure on request, and erasure after
the retention periods.

Everything kept about an address is found in one place (`footprint`), so that the copy
and the erasure cover the same things: registrations, the mail sent to the address, the
address-book entry, invitations with their history, visit requests, the region contact
lists, named survey answers and address-list previews; and, where the address (or a
visit contact's name) appears in records kept for others (organisers' mail, the audit
log, visit notes, free-text answers), it is replaced there rather than the record deleted.

Erasing keeps what the reports count (a registration's status, sector, municipality; a
visit request's region, kind and status), so every aggregate figure stays correct. An
address that unsubscribed from invitations leaves only a keyed hash
(app/services/suppression.py), so that it is still never invited again.

Two scopes. An admin erases (or copies) everything kept about an address. A participant,
known only by the personal link of one registration, erases (or copies) that registration
and everything else kept about the address except their other registrations, each of
which has its own link and goes with it.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from flask import current_app
from markupsafe import escape
from sqlalchemy import String, Text, and_, cast, delete, exists, func, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    AuditEntry,
    Contact,
    Event,
    ImportBatch,
    Invitation,
    InvitationHistory,
    OutboxAttachment,
    OutboxMessage,
    OutboxStatus,
    RegionContact,
    RegionStepRecord,
    Registration,
    SurveyAnswer,
    SurveyLink,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
    User,
    VisitNote,
    VisitNoteKind,
    VisitOrigin,
    VisitRequest,
)
from app.models.tokens import new_token
from app.models.types import utcnow
from app.services import audit, mail, registrations, suppression
from app.services.invitations import TEMPLATES as INVITATION_TEMPLATES
from app.services.text import normalise_email

ERASED_DOMAIN = "erased.invalid"
# What an erased address or name is replaced with in text kept for others; the same in every language.
ERASED_MARK = "[…]"
# A name shorter than this is not looked for in text: it would match parts of other words.
SHORTEST_NAME = 3


# Finding everything kept about an address

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
            self.registrations or self.contact or self.invitations or self.messages or self.visit_requests
            or self.region_contacts or self.import_batches
        )

    def import_rows(self) -> int:
        return sum(len(_rows_holding(batch, self.address)) for batch in self.import_batches)


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
    everyone = list(db.session.scalars(
        select(Registration).options(selectinload(Registration.event))
        .where(Registration.email == address, Registration.erased_at.is_(None))
        .order_by(Registration.created_at, Registration.id)
    ))
    if registration is None:
        chosen, others = everyone, []
    else:
        chosen = [registration] if registration.erased_at is None else []
        others = [r for r in everyone if r.id != registration.id]
    kept_events = {r.event_id for r in others}
    kept_registrations = {r.id for r in others}

    invitations = [
        invitation for invitation in db.session.scalars(
            select(Invitation).options(selectinload(Invitation.event), selectinload(Invitation.history))
            .where(Invitation.email == address).order_by(Invitation.created_at, Invitation.id)
        )
        if invitation.event_id not in kept_events
    ]
    messages = [
        message for message in db.session.scalars(
            select(OutboxMessage).where(func.lower(OutboxMessage.recipient) == address)
            .options(selectinload(OutboxMessage.attachments).load_only(
                OutboxAttachment.id, OutboxAttachment.message_id, OutboxAttachment.filename))
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
        visit_requests=list(db.session.scalars(
            select(VisitRequest)
            .options(selectinload(VisitRequest.region), selectinload(VisitRequest.notes))
            .where(func.lower(VisitRequest.contact_email) == address, VisitRequest.erased_at.is_(None))
            .order_by(VisitRequest.created_at, VisitRequest.id)
        )),
        region_contacts=list(db.session.scalars(
            select(RegionContact).options(selectinload(RegionContact.region))
            .where(func.lower(RegionContact.email) == address).order_by(RegionContact.id)
        )),
        import_batches=[
            batch for batch in db.session.scalars(
                select(ImportBatch).where(_mentions(ImportBatch.rows, address)).order_by(ImportBatch.id)
            )
            if _rows_holding(batch, address)
        ],
        named_responses=list(db.session.scalars(
            select(SurveyResponse)
            .options(selectinload(SurveyResponse.answers))
            .where(SurveyResponse.registration_id.in_(chosen_ids))
        )) if chosen_ids else [],
    )


# Text that mentions someone

def _forms(text: str) -> list[str]:
    """The ways a value is written in stored text: as is, escaped in HTML, escaped in JSON."""
    return list(dict.fromkeys((text, str(escape(text)), json.dumps(text)[1:-1])))


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _mentions(column, *values: str):
    """A condition that finds (a few more than) the rows whose text or JSON holds one of the
    values, in any case; `_pattern` then tells exactly."""
    text = column if isinstance(column.type, String) else cast(column, Text)
    return or_(*(text.ilike(_like(form), escape="\\") for value in values for form in _forms(value)))


def _pattern(value: str, *, name: bool = False) -> re.Pattern:
    """The value as a whole word, in any case: anna@x.se is not part of johanna@x.se or
    anna@x.se.com, nor Karin of Karina; a name also in the genitive (Karins)."""
    forms = "|".join(re.escape(form) for form in sorted(_forms(value), key=len, reverse=True))
    return re.compile(rf"(?<![\w.+-])(?:{forms}){'s?' if name else ''}(?![\w@-]|\.\w)", re.IGNORECASE)


def _scrub(text: str | None, patterns: list[re.Pattern]) -> str | None:
    """The text with every occurrence of the patterns replaced."""
    if not text:
        return text
    for pattern in patterns:
        text = pattern.sub(ERASED_MARK, text)
    return text


def _scrub_json(data, patterns: list[re.Pattern]):
    if isinstance(data, str):
        return _scrub(data, patterns)
    if isinstance(data, list):
        return [_scrub_json(item, patterns) for item in data]
    if isinstance(data, dict):
        return {_scrub(key, patterns): _scrub_json(value, patterns) for key, value in data.items()}
    return data


def _as_text(value) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value if isinstance(value, str) else ""


def _rows_holding(batch: ImportBatch, address: str) -> list[dict]:
    pattern = _pattern(address)
    return [row for row in batch.rows or [] if pattern.search(_as_text(row))]


# Text columns where someone else's record may mention the address: replaced there, the
# record kept. (Mail to the address, and the records above, are deleted or emptied instead.)
# Of the mail, only messages that carry what people wrote about others are read: mail to
# participants and invitees (nearly all of it, rendered from templates with nothing but the
# recipient's own details and the organisers' texts) is left out, or erasing one person
# would read every message ever sent.
MENTIONING_COLUMNS = (
    (OutboxMessage, ("subject", "body_text", "body_html", "last_error", "recipient_name")),
    (VisitNote, ("body",)),
    (VisitRequest, ("message",)),
    (SurveyAnswer, ("text",)),
    (Contact, ("consent_note",)),
    (RegionStepRecord, ("note",)),
    (ImportBatch, ("source_name",)),
)
MENTIONING_JSON = ((AuditEntry, "details"),)


def _may_mention_others():
    """Mail that is neither a participant's nor an invitation: about visit requests, to
    organisers, test mail."""
    return and_(OutboxMessage.registration_id.is_(None), OutboxMessage.template.not_in(INVITATION_TEMPLATES))


def _scrub_mentions(address: str) -> int:
    """Replace the address wherever records kept for others mention it; returns how many records.

    Mail still addressed to it (a participant's other registrations) is left as it is: it goes
    when they erase those.
    """
    patterns = [_pattern(address)]
    changed = 0
    for model, names in MENTIONING_COLUMNS:
        columns = [getattr(model, name) for name in names]
        query = select(model).where(or_(*(_mentions(c, address) for c in columns)))
        if model is OutboxMessage:
            query = query.where(_may_mention_others(), func.lower(OutboxMessage.recipient) != address)
        for record in list(db.session.scalars(query)):
            before = [getattr(record, name) for name in names]
            after = [_scrub(text, patterns) for text in before]
            if after != before:
                for name, text in zip(names, after, strict=True):
                    setattr(record, name, text)
                changed += 1
    for model, name in MENTIONING_JSON:
        for record in list(db.session.scalars(select(model).where(_mentions(getattr(model, name), address)))):
            scrubbed = _scrub_json(getattr(record, name), patterns)
            if scrubbed != getattr(record, name):
                setattr(record, name, scrubbed)
                changed += 1
    return changed


# Erasing

def _anonymise(registration: Registration, now: datetime | None = None) -> None:
    """Remove who the person was; keep what is counted. Their mail and their invitation to the
    event go too; their survey link stops working, and a named response keeps only its
    ratings and choices (what they wrote in their own words goes)."""
    _delete_invitations(list(db.session.scalars(select(Invitation.id).where(
        Invitation.event_id == registration.event_id, Invitation.email == registration.email,
    ))))
    registration.name = ""
    registration.email = f"erased-{registration.id}@{ERASED_DOMAIN}"
    registration.organisation = ""
    registration.dietary_needs = ""
    registration.accessibility_needs = ""
    registration.keep_informed_at = registration.keep_informed_confirmed_at = None  # nobody left to inform
    registration.manage_token = new_token()  # the old link opens nothing
    registration.erased_at = now or utcnow()
    _delete_messages(select(OutboxMessage.id).where(OutboxMessage.registration_id == registration.id))
    for link in list(db.session.scalars(select(SurveyLink).where(SurveyLink.registration_id == registration.id))):
        link.token = new_token()
    db.session.execute(delete(SurveyAnswer).where(
        SurveyAnswer.text.is_not(None),
        SurveyAnswer.response_id.in_(
            select(SurveyResponse.id).where(SurveyResponse.registration_id == registration.id)
        ),
    ))


def _delete_messages(ids_query) -> None:
    ids = list(db.session.scalars(ids_query))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        db.session.execute(delete(OutboxAttachment).where(OutboxAttachment.message_id.in_(chunk)))
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(chunk)))


def _delete_invitations(ids: list[int]) -> None:
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        db.session.execute(delete(InvitationHistory).where(InvitationHistory.invitation_id.in_(chunk)))
        db.session.execute(delete(Invitation).where(Invitation.id.in_(chunk)))


def _anonymise_visit(visit: VisitRequest, now: datetime, *, keep_thread: bool) -> None:
    """Remove the contact's name, address, phone and organisation and what they wrote; keep
    the region, kind, status, period and audience for the statistics.

    Mail to the contact goes; organisers' mail about the request keeps its text without the
    contact's details. With `keep_thread` (an erasure on request, while organisers may
    still be working on the visit) their own notes stay with those details taken out;
    otherwise (the retention period has passed) the whole thread goes.
    """
    details = [_pattern(value) for value in (visit.contact_email, visit.contact_phone) if value]
    if len(visit.contact_name.strip()) >= SHORTEST_NAME:
        details.append(_pattern(visit.contact_name.strip(), name=True))
    address = visit.contact_email.lower()
    for message in list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.visit_request_id == visit.id))):
        if message.recipient.lower() == address or not keep_thread:
            _delete_messages(select(OutboxMessage.id).where(OutboxMessage.id == message.id))
        else:
            for name in ("subject", "body_text", "body_html"):
                setattr(message, name, _scrub(getattr(message, name), details))
    for note in list(visit.notes):
        if note.kind == VisitNoteKind.REPLY or not keep_thread:
            visit.notes.remove(note)  # the contact's own words
        else:
            note.body = _scrub(note.body, details)
    visit.message = "" if visit.origin == VisitOrigin.REQUEST else _scrub(visit.message, details)
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
        _anonymise(registration, now)
        audit.record(by, "registration.erased", event=registration.event, registration=registration.id, reason=reason)
        report.registrations += 1
    _delete_invitations([invitation.id for invitation in found.invitations])
    report.invitations = len(found.invitations)
    _delete_messages(select(OutboxMessage.id).where(OutboxMessage.id.in_([m.id for m in found.messages])))
    report.messages = len(found.messages)
    if never_invite or (found.contact is not None and found.contact.unsubscribed):
        suppression.suppress(found.address)
        report.suppressed = True
    if found.contact is not None:
        db.session.delete(found.contact)
        report.contact = True
    for visit in found.visit_requests:
        _anonymise_visit(visit, now, keep_thread=True)
    report.visit_requests = len(found.visit_requests)
    for region_contact in found.region_contacts:
        db.session.delete(region_contact)
    report.region_contacts = len(found.region_contacts)
    for batch in found.import_batches:
        holding = _rows_holding(batch, found.address)
        report.import_rows += len(holding)
        # The organiser's confirmation then finds the list changed and shows it again without them.
        batch.rows = [row for row in batch.rows if row not in holding]
        if not batch.rows:
            db.session.delete(batch)
    db.session.flush()
    report.mentions = _scrub_mentions(found.address)
    return report


def erase(registration: Registration, *, by: User | None = None, reason: str = "participant",
          never_invite: bool = False) -> ErasureReport:
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


def remaining_mentions(email: str) -> dict[str, int]:
    """Where an address still appears after erasure, by table: records no erasure touches,
    such as an organiser's own account or an event's description, for the admin to look at."""
    address = normalise_email(email)
    pattern = _pattern(address)
    found: dict[str, int] = {}
    for table in db.metadata.sorted_tables:
        columns = [column for column in table.columns if _is_text(column)]
        if not columns:
            continue
        query = select(*columns).where(or_(*(_mentions(c, address) for c in columns)))
        if table is OutboxMessage.__table__:
            query = query.where(_may_mention_others())
        rows = db.session.execute(query)
        count = sum(1 for row in rows if any(pattern.search(_as_text(value)) for value in row))
        if count:
            found[table.name] = count
    return found


def _is_text(column) -> bool:
    try:
        return column.type.python_type in (str, dict, list)
    except NotImplementedError:
        return False


# A copy of the data

def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _registration_data(registration: Registration) -> dict:
    event = registration.event
    return {
        "name": registration.name,
        "email": registration.email,
        "organisation": registration.organisation,
        "sector": registration.sector.value,
        "municipality": registration.municipality,
        "dietary_needs": registration.dietary_needs,
        "accessibility_needs": registration.accessibility_needs,
        "status": registration.status.value,
        "language": registration.locale,
        "consent_at": registration.consent_at.isoformat(),
        "privacy_notice_version": registration.privacy_notice_version,
        "keep_informed_at": _iso(registration.keep_informed_at),
        "keep_informed_confirmed_at": _iso(registration.keep_informed_confirmed_at),
        "registered_at": registration.created_at.isoformat(),
        "checked_in_at": _iso(registration.checked_in_at),
        "cancelled_at": _iso(registration.cancelled_at),
        "event": {
            "title": event.title,
            "starts_at": event.starts_at.isoformat(),
            "ends_at": event.ends_at.isoformat(),
            "retention_months": event.retention_months,
        },
    }


def _survey_answers(responses: list[SurveyResponse], locale: str) -> list[dict]:
    answers = []
    for response in responses:
        questions = {q.id: q for q in db.session.scalars(
            select(SurveyQuestion).options(selectinload(SurveyQuestion.options))
            .where(SurveyQuestion.survey_id == response.survey_id)
        )}
        options: dict[int, SurveyOption] = {o.id: o for q in questions.values() for o in q.options}
        for answer in response.answers:
            question = questions.get(answer.question_id)
            option = options.get(answer.option_id) if answer.option_id else None
            answers.append({
                "event": response.registration.event.title if response.registration else None,
                "question": question.text(locale) if question else None,
                "number": answer.number,
                "choice": option.text(locale) if option else None,
                "text": answer.text,
            })
    return answers


def _export(found: Footprint, *, internal_notes: bool) -> dict:
    locale = found.registrations[0].locale if found.registrations else "sv"
    contact = found.contact
    return {
        "address": found.address,
        "registrations": [_registration_data(r) for r in found.registrations],
        "address_book": None if contact is None else {
            "name": contact.name,
            "email": contact.email,
            "organisation": contact.organisation,
            "sector": contact.sector.value if contact.sector else None,
            "municipality": contact.municipality,
            "region": contact.region.name if contact.region else None,
            "language": contact.locale,
            "source": contact.source.value,
            "consent_note": contact.consent_note,
            "unsubscribed_at": _iso(contact.unsubscribed_at),
            "last_invited_at": _iso(contact.last_invited_at),
            "added_at": contact.created_at.isoformat(),
        },
        "unsubscribed_before": found.suppressed,
        "invitations": [
            {
                "event": invitation.event.title,
                "event_starts_at": invitation.event.starts_at.isoformat(),
                "name": invitation.name,
                "email": invitation.email,
                "organisation": invitation.organisation,
                "sector": invitation.sector.value if invitation.sector else None,
                "municipality": invitation.municipality,
                "language": invitation.locale,
                "status": invitation.status.value,
                "invited_at": invitation.created_at.isoformat(),
                "history": [{"step": step.step.value, "at": step.at.isoformat()} for step in invitation.history],
            }
            for invitation in found.invitations
        ],
        "visit_requests": [
            {
                "region": visit.region.name,
                "kind": visit.kind.value,
                "status": visit.status.value,
                "contact_name": visit.contact_name,
                "contact_email": visit.contact_email,
                "contact_phone": visit.contact_phone,
                "organisation": visit.organisation,
                "period_start": visit.period_start.isoformat() if visit.period_start else None,
                "period_end": visit.period_end.isoformat() if visit.period_end else None,
                "period_text": visit.period_text,
                "audience_sectors": visit.audience_sectors,
                "audience_size": visit.audience_size,
                "message": visit.message,
                "consent_at": _iso(visit.consent_at),
                "sent_at": visit.created_at.isoformat(),
                "notes": [
                    {"kind": note.kind.value, "body": note.body, "at": note.created_at.isoformat()}
                    for note in visit.notes if internal_notes or note.is_public
                ],
            }
            for visit in found.visit_requests
        ],
        "region_contact_lists": [
            {"region": rc.region.name, "name": rc.name, "role": rc.role, "organisation": rc.organisation,
             "email": rc.email, "phone": rc.phone}
            for rc in found.region_contacts
        ],
        "survey_answers": _survey_answers(found.named_responses, locale),
        "emails": [
            {
                "to": message.recipient,
                "subject": message.subject,
                # Personal links are masked: a saved copy must not open anyone's registration.
                "body": mail.masked(message.body_text),
                "attachments": [attachment.filename for attachment in message.attachments],
                "created_at": message.created_at.isoformat(),
                "sent_at": _iso(message.sent_at),
                "status": message.status.value,
            }
            for message in found.messages
        ],
    }


def export(registration: Registration) -> dict:
    """What a participant gets through their personal link: everything their erasure would
    remove (this registration, and what is kept about the address apart from their other
    registrations), as JSON-ready data.

    Mail of this registration from before it was last made is left out: a cancelled
    registration taken up again may be someone else's doing, who should not learn of the
    earlier one. So are organisers' internal notes on a visit request, as on its status page.
    """
    found = footprint_of(registration)
    found.messages = [
        m for m in found.messages
        if m.registration_id != registration.id or m.created_at >= registration.created_at
    ]
    data = _export(found, internal_notes=False)
    # Kept for readers of the earlier format: this registration and its event at the top.
    [mine] = data["registrations"] or [_registration_data(registration)]
    return {"registration": {k: v for k, v in mine.items() if k != "event"}, "event": mine["event"], **data}


def export_person(email: str, *, by: User) -> dict:
    """Everything kept about an address, for an admin answering a request for access.
    Logged (without the address), as every look at someone's data in bulk is.

    Raises ValidationError for something that is not an address.
    """
    data = _export(footprint(email), internal_notes=True)
    audit.record(by, "person.exported")
    db.session.commit()
    return data


# Retention

@dataclass
class PurgeReport:
    """What `purge_expired` erased (or would erase), by kind."""

    registrations: int = 0
    messages: int = 0
    invitations: int = 0
    events: list[int] = field(default_factory=list)
    visit_requests: int = 0
    other_messages: int = 0
    import_previews: int = 0
    contacts: int = 0
    unsubscribed_contacts: int = 0
    audit_entries: int = 0


def retention_ended(event: Event, now: datetime) -> bool:
    return event.ends_at + relativedelta(months=event.retention_months) <= now


def purge_expired(*, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Erase the personal data whose retention period has passed (the periods /privacy states).

    Safe to run again and again: what is erased is not counted twice. `dry_run` counts
    what would go and changes nothing.
    """
    now = now or utcnow()
    config = current_app.config
    report = PurgeReport()
    _purge_events(report, now, dry_run)
    _purge_visits(report, now - relativedelta(months=config["VISIT_RETENTION_MONTHS"]), now, dry_run)
    _purge_other_mail(report, now - timedelta(days=config["MAIL_RETENTION_DAYS"]), dry_run)
    _purge_previews(report, now - timedelta(hours=config["IMPORT_PREVIEW_HOURS"]), dry_run)
    _purge_contacts(report, now - relativedelta(months=config["CONTACT_RETENTION_MONTHS"]),
                    now - timedelta(days=config["UNSUBSCRIBED_CONTACT_DAYS"]), dry_run)
    _purge_audit(report, now - relativedelta(months=config["AUDIT_RETENTION_MONTHS"]), dry_run)
    return report


def _purge_events(report: PurgeReport, now: datetime, dry_run: bool) -> None:
    """Registrations, mail and invitations of events whose own retention period has passed."""
    ended = db.session.scalars(select(Event).where(Event.ends_at < now).order_by(Event.ends_at))
    for event in ended:
        if not retention_ended(event, now):
            continue
        kept = list(db.session.scalars(
            select(Registration).where(Registration.event_id == event.id, Registration.erased_at.is_(None))
        ))
        messages = db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.event_id == event.id)).all()
        invited = db.session.scalars(select(Invitation.id).where(Invitation.event_id == event.id)).all()
        if not kept and not messages and not invited:
            continue
        report.events.append(event.id)
        report.registrations += len(kept)
        report.messages += len(messages)
        report.invitations += len(invited)
        if dry_run:
            continue
        for registration in kept:
            _anonymise(registration, now)
        _delete_messages(select(OutboxMessage.id).where(OutboxMessage.event_id == event.id))
        _delete_invitations(list(db.session.scalars(select(Invitation.id).where(Invitation.event_id == event.id))))
        audit.record(None, "event.personal_data_purged", event=event, registrations=len(kept))
        db.session.commit()


def _purge_visits(report: PurgeReport, cutoff: datetime, now: datetime, dry_run: bool) -> None:
    """Visit requests last handled, and whose visit took place, before the cutoff."""
    candidates = db.session.scalars(
        select(VisitRequest).options(selectinload(VisitRequest.notes), selectinload(VisitRequest.event))
        .where(VisitRequest.erased_at.is_(None), VisitRequest.updated_at < cutoff)
    )
    for visit in candidates:
        last = max([visit.updated_at, *(note.created_at for note in visit.notes),
                    *([visit.event.ends_at] if visit.event else [])])
        if last >= cutoff:
            continue
        report.visit_requests += 1
        if not dry_run:
            _anonymise_visit(visit, now, keep_thread=False)
            audit.record(None, "visit.personal_data_purged", visit_request=visit.id)
    if not dry_run:
        db.session.commit()


def _purge_other_mail(report: PurgeReport, cutoff: datetime, dry_run: bool) -> None:
    """Mail not tied to an event (visit requests, test mail), once delivered or given up on."""
    old = (
        select(OutboxMessage.id)
        .where(OutboxMessage.event_id.is_(None), OutboxMessage.created_at < cutoff,
               OutboxMessage.status.not_in([OutboxStatus.QUEUED, OutboxStatus.SENDING]))
    )
    report.other_messages = db.session.scalar(select(func.count()).select_from(old.subquery()))
    if not dry_run and report.other_messages:
        _delete_messages(old)
        db.session.commit()


def _purge_previews(report: PurgeReport, cutoff: datetime, dry_run: bool) -> None:
    """Address-list previews nobody confirmed in time."""
    condition = ImportBatch.created_at < cutoff
    report.import_previews = db.session.scalar(select(func.count()).select_from(ImportBatch).where(condition))
    if not dry_run and report.import_previews:
        db.session.execute(delete(ImportBatch).where(condition))
        db.session.commit()


def _purge_contacts(report: PurgeReport, unused_before: datetime, unsubscribed_before: datetime,
                    dry_run: bool) -> None:
    """Address-book entries nobody added, changed or invited for the retention period; and
    unsubscribed ones after their grace period, of which only the keyed hash stays."""
    invited_since = exists().where(Invitation.contact_id == Contact.id, Invitation.created_at >= unused_before)
    unused = (
        select(Contact.id)
        .where(Contact.unsubscribed_at.is_(None), Contact.updated_at < unused_before,
               or_(Contact.last_invited_at.is_(None), Contact.last_invited_at < unused_before), ~invited_since)
    )
    report.contacts = db.session.scalar(select(func.count()).select_from(unused.subquery()))
    unsubscribed = list(db.session.scalars(
        select(Contact).where(Contact.unsubscribed_at < unsubscribed_before)
    ))
    report.unsubscribed_contacts = len(unsubscribed)
    if dry_run:
        return
    ids = list(db.session.scalars(unused))
    for start in range(0, len(ids), 500):
        db.session.execute(delete(Contact).where(Contact.id.in_(ids[start:start + 500])))
    for contact in unsubscribed:
        suppression.suppress(contact.email)
        db.session.delete(contact)
    db.session.commit()


def _purge_audit(report: PurgeReport, cutoff: datetime, dry_run: bool) -> None:
    """The log of organisers' actions, after its retention period."""
    condition = AuditEntry.created_at < cutoff
    report.audit_entries = db.session.scalar(select(func.count()).select_from(AuditEntry).where(condition))
    if not dry_run and report.audit_entries:
        db.session.execute(delete(AuditEntry).where(condition))
        db.session.commit()
