"""Invitations: inviting people to an event by address, their personal links, the
organiser's resend, revoke and reminders, and what the mail server says about them.

An import is all or nothing: the valid rows of a list are invited in one transaction,
after the organiser has seen every row's problem in the preview. Every invited
address is (or becomes) a contact, so the unsubscribe link in each invitation works
and is honoured by every later import.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    ACTIVE_STATUSES,
    UNANSWERED_STATUSES,
    Contact,
    ContactSource,
    Event,
    EventStatus,
    ImportBatch,
    ImportPurpose,
    Invitation,
    InvitationHistory,
    InvitationStatus,
    InvitationStep,
    OutboxMessage,
    Region,
    Registration,
    Sector,
    User,
)
from app.models.tokens import looks_like_token, new_token
from app.models.types import utcnow
from app.services import ValidationError, address_lists, audit, mail, registrations, suppression
from app.services.address_lists import AddressRow, Problem
from app.services.bulk import among, bulk_insert
from app.services.registrations import Outcome, RegistrationDetails

TEMPLATES = ("invitation", "invitation_reminder")
# Sentences for the organiser about an import that did not happen.
PREVIEW_OUTDATED = _l("Something changed since the preview (someone was invited or registered meanwhile). "
                      "Check the list again before you confirm.")


class PreviewOutdated(Exception):
    """The list no longer checks out as it did in the preview; nothing was imported."""


@dataclass
class ImportResult:
    imported: int
    skipped: int


def invite_refused_reason(event: Event) -> str | None:
    """Why nobody can be invited to the event now, or None."""
    if event.status != EventStatus.PUBLISHED:
        return _("Publish the event before you invite people: the invitation links lead to its page.")
    if event.starts_at <= utcnow():
        return _("The event has started, so nobody can be invited any more.")
    return None


def _refuse_if_closed(event: Event, field: str = "addresses") -> None:
    if (reason := invite_refused_reason(event)) is not None:
        raise ValidationError({field: reason})


# Checking a list against what is known

def check_rows(event: Event, rows: list[AddressRow]) -> None:
    """Flag the rows that are already invited or registered, or whose address has unsubscribed."""
    emails = address_lists.emails_in(rows)
    invited: set[str] = set()
    registered: set[str] = set()
    unsubscribed: set[str] = set()
    for condition in among(Contact.email, emails):
        unsubscribed.update(db.session.scalars(
            select(Contact.email).where(Contact.unsubscribed_at.is_not(None), condition)
        ))
    # Unsubscribed addresses that have since been erased are known only by their hash.
    unsubscribed.update(suppression.suppressed_among(emails))
    if emails:
        # The event's own invitations and registrations are few enough to read whole.
        invited.update(db.session.scalars(select(Invitation.email).where(Invitation.event_id == event.id)))
        registered.update(db.session.scalars(
            select(Registration.email).where(
                Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES),
            )
        ))
    address_lists.flag_known(rows, Problem.ALREADY_REGISTERED, registered)
    address_lists.flag_known(rows, Problem.ALREADY_INVITED, invited)
    address_lists.flag_known(rows, Problem.UNSUBSCRIBED, unsubscribed)


def _rows_from(source: str | bytes | Iterable[AddressRow | dict]) -> list[AddressRow]:
    if isinstance(source, bytes):
        source = address_lists.decode(source)
    if isinstance(source, str):
        return address_lists.parse(source)
    return [row if isinstance(row, AddressRow) else AddressRow.from_dict(row) for row in source]


def preview(event: Event, source: str | bytes, by: User, *, source_name: str = "", language: str = "",
            field: str = "addresses") -> ImportBatch:
    """Read and check a pasted list or an uploaded file and keep it for the organiser to confirm.

    Raises ValidationError (under `field`) when the text cannot be read as a list at all.
    """
    _refuse_if_closed(event, field)
    try:
        text = address_lists.decode(source) if isinstance(source, bytes) else source
        rows = address_lists.parse(text, field=field)
    except ValidationError as error:
        # Parsing names its own field; the form shows the message under the one it used.
        raise ValidationError({field: next(iter(error.problems.values()))}) from None
    check_rows(event, rows)
    return address_lists.save_batch(
        ImportPurpose.INVITATIONS, rows, by, event=event, source_name=source_name, options={"language": language},
    )


def preview_contacts(event: Event, contact_ids: Sequence[int], by: User, *, language: str = "") -> ImportBatch:
    """Make a preview from contacts chosen in the address book (by filter or by hand)."""
    _refuse_if_closed(event, "contacts")
    contacts = []
    for chunk in address_lists.chunks(list(dict.fromkeys(contact_ids))):
        contacts.extend(db.session.scalars(select(Contact).where(Contact.id.in_(chunk))))
    contacts.sort(key=lambda contact: (contact.name.lower(), contact.email))
    rows = [
        AddressRow(
            line=number, email=contact.email, name=contact.name, organisation=contact.organisation,
            sector=contact.sector.value if contact.sector else "", municipality=contact.municipality,
        )
        for number, contact in enumerate(contacts, start=1)
    ]
    if not rows:
        raise ValidationError({"contacts": _("Choose at least one contact to invite.")})
    check_rows(event, rows)
    return address_lists.save_batch(
        ImportPurpose.INVITATIONS, rows, by, event=event, source_name="contacts", options={"language": language},
    )


# Importing

def import_rows(event: Event, rows: str | bytes | Iterable[AddressRow | dict], by: User | None, *,
                language: str = "", skip_problems: bool = False, expected: int | None = None) -> ImportResult:
    """Invite every valid row of a list to the event, in one transaction, and queue their mail.

    `rows` may be the text of a list (pasted or a CSV file, also as bytes) or rows as
    `address_lists.parse` gives them; they are checked again against the database here.
    Unless `skip_problems`, any row with a problem refuses the whole list
    (ValidationError) and nothing is saved. `expected` is the number of valid rows the
    organiser confirmed; when the check now finds another number, PreviewOutdated is
    raised and nothing is saved. `language` ("sv", "en") overrides each contact's own
    language for the mail.
    """
    _refuse_if_closed(event)
    rows = _rows_from(rows)
    for row in rows:
        if row.problem in _DATABASE_PROBLEMS:  # checked again below, as things are now
            row.problem = row.detail = ""
    check_rows(event, rows)
    valid = [row for row in rows if row.ok]
    if not skip_problems and len(valid) != len(rows):
        raise ValidationError({"addresses": _(
            "%(n)d of the rows have problems; nothing was imported.", n=len(rows) - len(valid)
        )})
    if expected is not None and len(valid) != expected:
        raise PreviewOutdated(rows)
    if not valid:
        return ImportResult(imported=0, skipped=len(rows))
    try:
        _insert_invitations(event, valid, by, language)
        audit.record(by, "invitations.sent", event=event, count=len(valid))
        db.session.commit()
    except IntegrityError:
        # Another request invited some of these addresses a moment ago (a double click).
        db.session.rollback()
        raise PreviewOutdated(rows) from None
    return ImportResult(imported=len(valid), skipped=len(rows) - len(valid))


_DATABASE_PROBLEMS = (Problem.ALREADY_INVITED, Problem.ALREADY_REGISTERED, Problem.UNSUBSCRIBED)


def _contacts_for(rows: list[AddressRow], language: str) -> dict[str, tuple[int, str, str]]:
    """(id, unsubscribe token, language) of each row's contact, adding the addresses not yet known."""
    known: dict[str, tuple[int, str, str]] = {}
    for condition in among(Contact.email, [row.email for row in rows]):
        for contact_id, email, token, locale in db.session.execute(
            select(Contact.id, Contact.email, Contact.unsubscribe_token, Contact.locale).where(condition)
        ):
            known[email] = (contact_id, token, locale)
    region_ids = dict(db.session.execute(select(Region.code, Region.id)).all())
    now = utcnow()
    new = [
        dict(
            name=row.name, email=row.email, organisation=row.organisation,
            sector=Sector(row.sector) if row.sector else None, municipality=row.municipality,
            region_id=region_ids.get(row.region), locale=language or "sv", source=ContactSource.INVITATION,
            consent_note="", unsubscribe_token=new_token(), created_at=now, updated_at=now,
        )
        for row in rows if row.email not in known
    ]
    bulk_insert(Contact, new)
    tokens = {values["email"]: values["unsubscribe_token"] for values in new}
    for condition in among(Contact.email, list(tokens)):
        for contact_id, email in db.session.execute(select(Contact.id, Contact.email).where(condition)):
            known[email] = (contact_id, tokens[email], language or "sv")
    return known


def _insert_invitations(event: Event, rows: list[AddressRow], by: User | None, language: str) -> None:
    contacts = _contacts_for(rows, language)
    now = utcnow()
    values = []
    for row in rows:
        contact_id, _token, contact_locale = contacts[row.email]
        values.append(dict(
            event_id=event.id, contact_id=contact_id, email=row.email, name=row.name,
            organisation=row.organisation, sector=Sector(row.sector) if row.sector else None,
            municipality=row.municipality, token=new_token(), status=InvitationStatus.SENT,
            locale=language or contact_locale, invited_by_id=by.id if by else None, created_at=now, status_at=now,
        ))
    bulk_insert(Invitation, values)
    # One pass over the event's invitations finds the new ids (long IN lists plan badly).
    new = {v["email"] for v in values}
    ids = [
        invitation_id for invitation_id, email in
        db.session.execute(select(Invitation.id, Invitation.email).where(Invitation.event_id == event.id))
        if email in new
    ]
    actor = by.name if by else ""
    history = [dict(invitation_id=i, step=InvitationStep.SENT, at=now, actor_name=actor) for i in ids]
    bulk_insert(InvitationHistory, history)
    # The address book keeps an address for a while after it was last invited (see /privacy).
    db.session.execute(
        update(Contact).where(Contact.id.in_(select(Invitation.contact_id).where(
            Invitation.event_id == event.id, Invitation.created_at == now,
        ))).values(last_invited_at=now).execution_options(synchronize_session=False)
    )
    _mail(event, "invitation", [
        _recipient(v["email"], v["name"], v["locale"], v["token"], contacts[v["email"]][1]) for v in values
    ])


def _recipient(email: str, name: str, locale: str, token: str, unsubscribe_token: str) -> mail.Recipient:
    return mail.Recipient(
        address=email, name=name, locale=locale,
        values={"name": name, "token": token, "unsubscribe_token": unsubscribe_token},
    )


def _mail(event: Event, template: str, recipients: list[mail.Recipient]) -> None:
    subject = (
        _l("Invitation: %(title)s", title=event.title) if template == "invitation"
        else _l("Reminder: you are invited to %(title)s", title=event.title)
    )
    mail.enqueue_many(template, recipients, subject=subject, event=event)


def _mail_one(invitation: Invitation, template: str) -> None:
    token = invitation.contact.unsubscribe_token if invitation.contact else ""
    _mail(invitation.event, template, [
        _recipient(invitation.email, invitation.name, invitation.locale, invitation.token, token)
    ])


def confirm_batch(batch: ImportBatch, event: Event, by: User, *, expected: int) -> ImportResult:
    """Invite the valid rows of a preview the organiser confirmed; the preview is then removed.

    Raises PreviewOutdated (and stores the rows as checked now) when the list changed.
    """
    rows = address_lists.batch_rows(batch)
    try:
        result = import_rows(
            event, rows, by, language=batch.options.get("language", ""), skip_problems=True, expected=expected,
        )
    except PreviewOutdated as outdated:
        checked = outdated.args[0]
        fresh = address_lists.find_batch(batch.id, ImportPurpose.INVITATIONS, by, event=event)
        if fresh is not None:
            address_lists.update_batch(fresh, checked)
        raise
    stale = db.session.get(ImportBatch, batch.id)
    if stale is not None:
        address_lists.discard_batch(stale)
    return result


# The invitee's link

def find_by_token(token: str) -> Invitation | None:
    """The invitation a link opens: None for a revoked one or anything that is not exactly its token."""
    if not looks_like_token(token):
        return None
    invitation = db.session.scalar(
        select(Invitation).options(selectinload(Invitation.event), selectinload(Invitation.registration))
        .where(Invitation.token == token)
    )
    if invitation is None or invitation.status == InvitationStatus.REVOKED:
        return None
    return invitation


def _step(invitation: Invitation, step: InvitationStep, actor: User | None = None,
          status: InvitationStatus | None = None) -> None:
    now = utcnow()
    invitation.history.append(InvitationHistory(step=step, at=now, actor_name=actor.name if actor else ""))
    if status is not None:
        invitation.status, invitation.status_at = status, now


def mark_opened(invitation: Invitation) -> None:
    """The invitee opened their link: the organiser sees it was read (once)."""
    if invitation.status in (InvitationStatus.SENT, InvitationStatus.BOUNCED):
        _step(invitation, InvitationStep.OPENED, status=InvitationStatus.OPENED)
        db.session.commit()


def register(invitation: Invitation, details: RegistrationDetails, *, locale: str) -> Outcome:
    """Register the invitee through their link, always with the invited address.

    Raises ValidationError and RegistrationClosed as registrations.register does.
    """
    # The service registers the invited address, whatever address was posted.
    outcome = registrations.register(
        invitation.event, details, locale=locale, invitation=invitation,
        on_created=lambda registration: record_registration(invitation, registration),
    )
    if not outcome.created and invitation.registration_id != outcome.registration.id:
        # Registered before, from the public page: the invitation is answered all the same.
        record_registration(invitation, outcome.registration)
        db.session.commit()
    return outcome


def record_registration(invitation: Invitation, registration: Registration) -> None:
    """Link the invitation to the registration made through it; the caller commits."""
    invitation.registration = registration
    _step(invitation, InvitationStep.REGISTERED, status=InvitationStatus.REGISTERED)


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
    _step(invitation, InvitationStep.DECLINED, status=InvitationStatus.DECLINED)
    db.session.commit()


# The organiser's actions

def resend(invitation: Invitation, by: User) -> None:
    """Send the invitation again, with the same link (it bounced, or was lost)."""
    if invitation.status in (InvitationStatus.REVOKED, InvitationStatus.REGISTERED, InvitationStatus.DECLINED):
        raise ValidationError({"form": _("Only invitations that are not answered or revoked can be sent again.")})
    _refuse_if_closed(invitation.event, "form")
    status = InvitationStatus.SENT if invitation.status == InvitationStatus.BOUNCED else None
    _step(invitation, InvitationStep.RESENT, by, status=status)
    _mail_one(invitation, "invitation")
    audit.record(by, "invitations.resent", event=invitation.event, invitation=invitation.id)
    db.session.commit()


def revoke(invitation: Invitation, by: User) -> None:
    """Withdraw an invitation: its link stops working. A registration made through it stays."""
    if invitation.status == InvitationStatus.REVOKED:
        return
    if invitation.status == InvitationStatus.REGISTERED:
        raise ValidationError({"form": _(
            "This person has registered; cancel the registration on the participant list instead."
        )})
    _step(invitation, InvitationStep.REVOKED, by, status=InvitationStatus.REVOKED)
    audit.record(by, "invitations.revoked", event=invitation.event, invitation=invitation.id)
    db.session.commit()


def unanswered(event: Event) -> list[Invitation]:
    """Invitations still waiting for an answer, by name."""
    return list(db.session.scalars(
        select(Invitation).options(selectinload(Invitation.history))
        .where(Invitation.event_id == event.id, Invitation.status.in_(UNANSWERED_STATUSES))
        .order_by(func.lower(Invitation.name), Invitation.email)
    ))


def remind(event: Event, invitation_ids: Iterable[int], by: User) -> int:
    """Remind the chosen invitees who still have not answered; returns how many were reminded.

    Chosen ids that are not this event's unanswered invitations are ignored.
    """
    _refuse_if_closed(event, "form")
    wanted = list(dict.fromkeys(invitation_ids))
    chosen: list[Invitation] = []
    for chunk in address_lists.chunks(wanted):
        chosen.extend(db.session.scalars(
            select(Invitation).options(selectinload(Invitation.contact))
            .where(Invitation.id.in_(chunk), Invitation.event_id == event.id,
                   Invitation.status.in_(UNANSWERED_STATUSES))
        ))
    if not chosen:
        return 0
    now = utcnow()
    bulk_insert(InvitationHistory, [
        dict(invitation_id=invitation.id, step=InvitationStep.REMINDED, at=now, actor_name=by.name)
        for invitation in chosen
    ])
    _mail(event, "invitation_reminder", [
        _recipient(i.email, i.name, i.locale, i.token, i.contact.unsubscribe_token if i.contact else "")
        for i in chosen
    ])
    audit.record(by, "invitations.reminded", event=event, count=len(chosen))
    db.session.commit()
    return len(chosen)


# Bounces

def _bounce(invitations: Iterable[Invitation]) -> int:
    count = 0
    for invitation in invitations:
        if invitation.status in UNANSWERED_STATUSES:
            _step(invitation, InvitationStep.BOUNCED, status=InvitationStatus.BOUNCED)
            count += 1
    return count


def bounce_for_message(message: OutboxMessage) -> int:
    """The mail server refused an invitation's message for good; the caller commits."""
    if message.template not in TEMPLATES or message.event_id is None:
        return 0
    return _bounce(db.session.scalars(
        select(Invitation).where(Invitation.event_id == message.event_id, Invitation.email == message.recipient)
    ))


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


# The organiser's list

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
        pattern = "%" + search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(
            func.lower(Invitation.name).like(pattern, escape="\\"),
            Invitation.email.like(pattern, escape="\\"),
            func.lower(Invitation.organisation).like(pattern, escape="\\"),
        ))
    return query.order_by(func.lower(Invitation.name), Invitation.email, Invitation.id)


def status_counts(event: Event) -> dict[InvitationStatus, int]:
    counts = dict(db.session.execute(
        select(Invitation.status, func.count()).where(Invitation.event_id == event.id).group_by(Invitation.status)
    ).all())
    return {status: counts.get(status, 0) for status in InvitationStatus}
