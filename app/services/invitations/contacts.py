"""The address book: contacts added by hand, from a list, or from past participants who
agreed to hear about future events; search and filters for inviting them; and the
unsubscribe link that every invitation carries.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    Contact,
    ContactSource,
    Event,
    ImportBatch,
    ImportPurpose,
    Invitation,
    Region,
    Registration,
    Sector,
    User,
)
from app.models.tokens import looks_like_token, new_token
from app.models.types import utcnow
from app.services import ValidationError, audit
from app.services.bulk import bulk_insert
from app.services.invitations import address_lists, previews, suppression
from app.services.invitations.address_lists import AddressRow, Problem
from app.services.invitations.lists import ImportResult, PreviewOutdated
from app.services.search import any_contains
from app.services.text import normalise_email

LIMITS = {"name": 120, "email": 254, "organisation": 200, "municipality": 100, "consent_note": 500}


@dataclass
class ContactDetails:
    """What an organiser types about a contact."""

    email: str
    name: str = ""
    organisation: str = ""
    sector: str = ""
    municipality: str = ""
    region_code: str = ""
    locale: str = "sv"
    consent_note: str = ""


def problems_with(details: ContactDetails, *, contact: Contact | None = None) -> dict[str, str]:
    """The rules a contact keeps, as translated messages by field name."""
    problems: dict[str, str] = {}
    try:
        email = normalise_email(details.email)
    except ValidationError as error:
        problems.update(error.problems)
    else:
        other = db.session.scalar(select(Contact).where(Contact.email == email))
        if other is not None and other is not contact:
            problems["email"] = _("That address is already in the address book.")
        elif other is None and suppression.is_suppressed(email):
            problems["email"] = _("This address has unsubscribed from invitations, so it cannot be added.")
    if details.sector and details.sector not in {sector.value for sector in Sector}:
        problems["sector"] = _("Choose a sector from the list.")
    if details.region_code and _region(details.region_code) is None:
        problems["region"] = _("Choose a region from the list.")
    if details.locale not in ("sv", "en"):
        problems["locale"] = _("Choose Swedish or English.")
    for name, limit in LIMITS.items():
        if len((getattr(details, name) or "").strip()) > limit:
            problems[name] = _("At most %(n)d characters.", n=limit)
    return problems


def _region(code: str) -> Region | None:
    return db.session.scalar(select(Region).where(Region.code == code)) if code else None


def _apply(contact: Contact, details: ContactDetails) -> None:
    contact.email = normalise_email(details.email)
    contact.name = details.name.strip()
    contact.organisation = details.organisation.strip()
    contact.sector = Sector(details.sector) if details.sector else None
    contact.municipality = details.municipality.strip()
    contact.region = _region(details.region_code)
    contact.locale = details.locale
    contact.consent_note = details.consent_note.strip()


def create(details: ContactDetails, by: User) -> Contact:
    """Add a contact by hand."""
    problems = problems_with(details)
    if problems:
        raise ValidationError(problems)
    contact = Contact(source=ContactSource.MANUAL)
    _apply(contact, details)
    db.session.add(contact)
    _commit_unique()
    return contact


def update(contact: Contact, details: ContactDetails, by: User) -> None:
    """Save an organiser's changes to a contact."""
    problems = problems_with(details, contact=contact)
    if problems:
        raise ValidationError(problems)
    _apply(contact, details)
    _commit_unique()


def _commit_unique() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        # The same address was added in another request a moment ago.
        db.session.rollback()
        raise ValidationError({"email": _("That address is already in the address book.")}) from None


def delete(contact: Contact, by: User) -> None:
    """Remove a contact from the address book. Their invitations stay with the events.

    An unsubscribed contact is kept as such instead: deleting it would let the address
    be invited again.
    """
    if contact.unsubscribed:
        raise ValidationError(
            {"form": _("This person has unsubscribed; they stay listed so that no one invites them again.")}
        )
    audit.record(by, "contacts.deleted", contact=contact.id)
    db.session.delete(contact)
    db.session.commit()


def contacts_query(
    *, search: str = "", region: Region | None = None, sectors: Sequence[Sector] = (), subscribed_only: bool = False
):
    """Contacts matching a search and filters, by name."""
    query = select(Contact).options(selectinload(Contact.region))
    if search:
        query = query.where(
            any_contains(
                search,
                func.lower(Contact.name),
                Contact.email,
                func.lower(Contact.organisation),
                func.lower(Contact.municipality),
            )
        )
    if region is not None:
        query = query.where(Contact.region_id == region.id)
    if sectors:
        query = query.where(Contact.sector.in_(list(sectors)))
    if subscribed_only:
        query = query.where(Contact.unsubscribed_at.is_(None))
    return query.order_by(func.lower(Contact.name), Contact.email, Contact.id)


def matching(**filters) -> list[Contact]:
    """The contacts `contacts_query(**filters)` finds, read whole."""
    return list(db.session.scalars(contacts_query(**filters)))


def unsubscribed_count() -> int:
    """How many addresses have unsubscribed from invitations."""
    return db.session.scalar(select(func.count()).select_from(Contact).where(Contact.unsubscribed_at.is_not(None)))


def invited_emails(event: Event, emails: Sequence[str]) -> set[str]:
    """Which of these addresses already have an invitation to the event."""
    found: set[str] = set()
    for chunk in address_lists.chunks(list(emails)):
        found.update(
            db.session.scalars(
                select(Invitation.email).where(Invitation.event_id == event.id, Invitation.email.in_(chunk))
            )
        )
    return found


# Importing a list into the address book


def check_rows(rows: list[AddressRow]) -> None:
    """Flag the rows whose address is already in the address book (unsubscribed or not)."""
    known: set[str] = set()
    unsubscribed: set[str] = set()
    for chunk in address_lists.chunks(address_lists.emails_in(rows)):
        for email, unsubscribed_at in db.session.execute(
            select(Contact.email, Contact.unsubscribed_at).where(Contact.email.in_(chunk))
        ):
            (unsubscribed if unsubscribed_at else known).add(email)
    unsubscribed.update(suppression.suppressed_among(address_lists.emails_in(rows)))
    address_lists.flag_known(rows, Problem.UNSUBSCRIBED, unsubscribed)
    address_lists.flag_known(rows, Problem.ALREADY_CONTACT, known)


def preview_import(
    source: str | bytes,
    by: User,
    *,
    source_name: str = "",
    region_code: str = "",
    consent_note: str = "",
    field: str = "addresses",
) -> ImportBatch:
    """Read and check a list for the address book and keep it for the organiser to confirm."""
    if region_code and _region(region_code) is None:
        raise ValidationError({"region": _("Choose a region from the list.")})
    if len(consent_note.strip()) > LIMITS["consent_note"]:
        raise ValidationError({"consent_note": _("At most %(n)d characters.", n=LIMITS["consent_note"])})
    try:
        text = address_lists.decode(source) if isinstance(source, bytes) else source
        rows = address_lists.parse(text, field=field)
    except ValidationError as error:
        # Parsing names its own field; the form shows the message under the one it used.
        raise ValidationError({field: next(iter(error.problems.values()))}) from None
    check_rows(rows)
    return previews.save_batch(
        ImportPurpose.CONTACTS,
        rows,
        by,
        source_name=source_name,
        options={"region": region_code, "consent_note": consent_note.strip()},
    )


def import_rows(
    rows: list[AddressRow], by: User, *, expected: int | None = None, region_code: str = "", consent_note: str = ""
) -> ImportResult:
    """Add the valid rows to the address book in one transaction; all or nothing.

    Rows without a region get `region_code`. Raises PreviewOutdated, saving nothing,
    when the number of valid rows is not `expected` (the list changed since the preview).
    """
    for row in rows:
        if row.problem in (Problem.ALREADY_CONTACT, Problem.UNSUBSCRIBED):
            row.problem = row.detail = ""
    check_rows(rows)
    valid = [row for row in rows if row.ok]
    if expected is not None and len(valid) != expected:
        raise PreviewOutdated(rows)
    region_ids = dict(db.session.execute(select(Region.code, Region.id)).all())
    now = utcnow()
    values = [
        dict(
            name=row.name,
            email=row.email,
            organisation=row.organisation,
            sector=Sector(row.sector) if row.sector else None,
            municipality=row.municipality,
            region_id=region_ids.get(row.region or region_code),
            locale="sv",
            source=ContactSource.IMPORT,
            consent_note=consent_note,
            unsubscribe_token=new_token(),
            created_at=now,
            updated_at=now,
        )
        for row in valid
    ]
    try:
        bulk_insert(Contact, values)
        if values:
            audit.record(by, "contacts.imported", count=len(values))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise PreviewOutdated(rows) from None
    return ImportResult(imported=len(values), skipped=len(rows) - len(values))


def confirm_batch(batch: ImportBatch, by: User, *, expected: int) -> ImportResult:
    """Add the valid rows of a confirmed preview; the preview is then removed."""
    rows = previews.batch_rows(batch)
    options = batch.options or {}
    try:
        result = import_rows(
            rows,
            by,
            expected=expected,
            region_code=options.get("region", ""),
            consent_note=options.get("consent_note", ""),
        )
    except PreviewOutdated as outdated:
        previews.update_batch(batch, outdated.args[0])
        raise
    previews.discard_batch(batch)
    return result


@dataclass
class FromEventResult:
    added: int
    already: int
    not_agreed: int


def add_from_event(event: Event, by: User) -> FromEventResult:
    """Add an event's participants who asked to be kept informed; nobody else is added."""
    registrations = list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.erased_at.is_(None))
            .order_by(Registration.id)
        )
    )
    # Only those who confirmed from the link mailed to them (see registrations.rules.ask_to_keep_informed).
    agreed = [r for r in registrations if r.keep_informed_confirmed_at is not None]
    known = set()
    for chunk in address_lists.chunks([r.email for r in agreed]):
        known.update(db.session.scalars(select(Contact.email).where(Contact.email.in_(chunk))))
    # An address that unsubscribed stays out, as it would if its contact were still listed.
    known.update(suppression.suppressed_among([r.email for r in agreed]))
    added = 0
    for registration in agreed:
        if registration.email in known:
            continue
        known.add(registration.email)
        db.session.add(
            Contact(
                name=registration.name,
                email=registration.email,
                organisation=registration.organisation,
                sector=registration.sector,
                municipality=registration.municipality,
                region_id=event.region_id,
                locale=registration.locale,
                source=ContactSource.REGISTRATION,
                consent_note=_(
                    "Asked to be kept informed when registering for %(title)s; confirmed by email %(date)s.",
                    title=event.title,
                    date=registration.keep_informed_confirmed_at.date().isoformat(),
                )[:500],
            )
        )
        added += 1
    if added:
        audit.record(by, "contacts.added_from_event", event=event, count=added)
    db.session.commit()
    return FromEventResult(added=added, already=len(agreed) - added, not_agreed=len(registrations) - len(agreed))


# Unsubscribing


def find_by_unsubscribe_token(token: str) -> Contact | None:
    if not looks_like_token(token):
        return None
    return db.session.scalar(select(Contact).where(Contact.unsubscribe_token == token))


def unsubscribe(contact: Contact) -> None:
    """No more invitations to this address, from any organiser."""
    if contact.unsubscribed_at is None:
        contact.unsubscribed_at = utcnow()
        db.session.commit()


def resubscribe(contact: Contact) -> None:
    """The person changed their mind: invitations may be sent again."""
    if contact.unsubscribed_at is not None:
        contact.unsubscribed_at = None
        db.session.commit()
