"""Inviting a list (pasted, a CSV file, or contacts chosen in the address book): every row
is checked and kept as a preview, and the valid rows are invited in one transaction once
the organiser confirms."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import (
    ACTIVE_STATUSES,
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
    Region,
    Registration,
    Sector,
    User,
)
from app.models.tokens import new_token
from app.models.types import utcnow
from app.services import ValidationError, audit
from app.services.bulk import among, bulk_insert
from app.services.invitations import address_lists, previews, suppression
from app.services.invitations.address_lists import AddressRow, Problem
from app.services.invitations.notices import mail_invitations, recipient

# Sentences for the organiser about an import that did not happen.
PREVIEW_OUTDATED = _l(
    "Something changed since the preview (someone was invited or registered meanwhile). "
    "Check the list again before you confirm."
)


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


def refuse_if_closed(event: Event, field: str = "addresses") -> None:
    if (reason := invite_refused_reason(event)) is not None:
        raise ValidationError({field: reason})


def check_rows(event: Event, rows: list[AddressRow]) -> None:
    """Flag the rows that are already invited or registered, or whose address has unsubscribed."""
    emails = address_lists.emails_in(rows)
    invited: set[str] = set()
    registered: set[str] = set()
    unsubscribed: set[str] = set()
    for condition in among(Contact.email, emails):
        unsubscribed.update(
            db.session.scalars(select(Contact.email).where(Contact.unsubscribed_at.is_not(None), condition))
        )
    # Unsubscribed addresses that have since been erased are known only by their hash.
    unsubscribed.update(suppression.suppressed_among(emails))
    if emails:
        # The event's own invitations and registrations are few enough to read whole.
        invited.update(db.session.scalars(select(Invitation.email).where(Invitation.event_id == event.id)))
        registered.update(
            db.session.scalars(
                select(Registration.email).where(
                    Registration.event_id == event.id,
                    Registration.status.in_(ACTIVE_STATUSES),
                )
            )
        )
    address_lists.flag_known(rows, Problem.ALREADY_REGISTERED, registered)
    address_lists.flag_known(rows, Problem.ALREADY_INVITED, invited)
    address_lists.flag_known(rows, Problem.UNSUBSCRIBED, unsubscribed)


def _rows_from(source: str | bytes | Iterable[AddressRow | dict]) -> list[AddressRow]:
    if isinstance(source, bytes):
        source = address_lists.decode(source)
    if isinstance(source, str):
        return address_lists.parse(source)
    return [row if isinstance(row, AddressRow) else AddressRow.from_dict(row) for row in source]


def preview(
    event: Event, source: str | bytes, by: User, *, source_name: str = "", language: str = "", field: str = "addresses"
) -> ImportBatch:
    """Read and check a pasted list or an uploaded file and keep it for the organiser to confirm.

    Raises ValidationError (under `field`) when the text cannot be read as a list at all.
    """
    refuse_if_closed(event, field)
    try:
        text = address_lists.decode(source) if isinstance(source, bytes) else source
        rows = address_lists.parse(text, field=field)
    except ValidationError as error:
        # Parsing names its own field; the form shows the message under the one it used.
        raise ValidationError({field: next(iter(error.problems.values()))}) from None
    check_rows(event, rows)
    return previews.save_batch(
        ImportPurpose.INVITATIONS,
        rows,
        by,
        event=event,
        source_name=source_name,
        options={"language": language},
    )


def preview_contacts(event: Event, contact_ids: Sequence[int], by: User, *, language: str = "") -> ImportBatch:
    """Make a preview from contacts chosen in the address book (by filter or by hand)."""
    refuse_if_closed(event, "contacts")
    contacts = []
    for chunk in address_lists.chunks(list(dict.fromkeys(contact_ids))):
        contacts.extend(db.session.scalars(select(Contact).where(Contact.id.in_(chunk))))
    contacts.sort(key=lambda contact: (contact.name.lower(), contact.email))
    rows = [
        AddressRow(
            line=number,
            email=contact.email,
            name=contact.name,
            organisation=contact.organisation,
            sector=contact.sector.value if contact.sector else "",
            municipality=contact.municipality,
        )
        for number, contact in enumerate(contacts, start=1)
    ]
    if not rows:
        raise ValidationError({"contacts": _("Choose at least one contact to invite.")})
    check_rows(event, rows)
    return previews.save_batch(
        ImportPurpose.INVITATIONS,
        rows,
        by,
        event=event,
        source_name="contacts",
        options={"language": language},
    )


def import_rows(
    event: Event,
    rows: str | bytes | Iterable[AddressRow | dict],
    by: User | None,
    *,
    language: str = "",
    skip_problems: bool = False,
    expected: int | None = None,
) -> ImportResult:
    """Invite every valid row of a list to the event, in one transaction, and queue their mail.

    `rows` may be the text of a list (pasted or a CSV file, also as bytes) or rows as
    `address_lists.parse` gives them; they are checked again against the database here.
    Unless `skip_problems`, any row with a problem refuses the whole list
    (ValidationError) and nothing is saved. `expected` is the number of valid rows the
    organiser confirmed; when the check now finds another number, PreviewOutdated is
    raised and nothing is saved. `language` ("sv", "en") overrides each contact's own
    language for the mail.
    """
    refuse_if_closed(event)
    rows = _rows_from(rows)
    for row in rows:
        if row.problem in _DATABASE_PROBLEMS:  # checked again below, as things are now
            row.problem = row.detail = ""
    check_rows(event, rows)
    valid = [row for row in rows if row.ok]
    if not skip_problems and len(valid) != len(rows):
        raise ValidationError(
            {"addresses": _("%(n)d of the rows have problems; nothing was imported.", n=len(rows) - len(valid))}
        )
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
            name=row.name,
            email=row.email,
            organisation=row.organisation,
            sector=Sector(row.sector) if row.sector else None,
            municipality=row.municipality,
            region_id=region_ids.get(row.region),
            locale=language or "sv",
            source=ContactSource.INVITATION,
            consent_note="",
            unsubscribe_token=new_token(),
            created_at=now,
            updated_at=now,
        )
        for row in rows
        if row.email not in known
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
        values.append(
            dict(
                event_id=event.id,
                contact_id=contact_id,
                email=row.email,
                name=row.name,
                organisation=row.organisation,
                sector=Sector(row.sector) if row.sector else None,
                municipality=row.municipality,
                token=new_token(),
                status=InvitationStatus.SENT,
                locale=language or contact_locale,
                invited_by_id=by.id if by else None,
                created_at=now,
                status_at=now,
            )
        )
    bulk_insert(Invitation, values)
    # One pass over the event's invitations finds the new ids (long IN lists plan badly).
    new = {v["email"] for v in values}
    ids = [
        invitation_id
        for invitation_id, email in db.session.execute(
            select(Invitation.id, Invitation.email).where(Invitation.event_id == event.id)
        )
        if email in new
    ]
    actor = by.name if by else ""
    history = [dict(invitation_id=i, step=InvitationStep.SENT, at=now, actor_name=actor) for i in ids]
    bulk_insert(InvitationHistory, history)
    # The address book keeps an address for a while after it was last invited (see /privacy).
    db.session.execute(
        update(Contact)
        .where(
            Contact.id.in_(
                select(Invitation.contact_id).where(
                    Invitation.event_id == event.id,
                    Invitation.created_at == now,
                )
            )
        )
        .values(last_invited_at=now)
        .execution_options(synchronize_session=False)
    )
    mail_invitations(
        event,
        "invitation",
        [recipient(v["email"], v["name"], v["locale"], v["token"], contacts[v["email"]][1]) for v in values],
    )


def confirm_batch(batch: ImportBatch, event: Event, by: User, *, expected: int) -> ImportResult:
    """Invite the valid rows of a preview the organiser confirmed; the preview is then removed.

    Raises PreviewOutdated (and stores the rows as checked now) when the list changed.
    """
    rows = previews.batch_rows(batch)
    try:
        result = import_rows(
            event,
            rows,
            by,
            language=batch.options.get("language", ""),
            skip_problems=True,
            expected=expected,
        )
    except PreviewOutdated as outdated:
        checked = outdated.args[0]
        fresh = previews.find_batch(batch.id, ImportPurpose.INVITATIONS, by, event=event)
        if fresh is not None:
            previews.update_batch(fresh, checked)
        raise
    stale = db.session.get(ImportBatch, batch.id)
    if stale is not None:
        previews.discard_batch(stale)
    return result
