"""The regions: their progress in the five-step model, their contact people, and the
people their events have reached."""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from app.cache import content_version
from app.extensions import db
from app.models import (
    CollaborationStep,
    Event,
    EventStatus,
    Region,
    RegionContact,
    RegionStepRecord,
    Registration,
    RegistrationStatus,
    User,
)
from app.models.types import utcnow
from app.services import ValidationError, audit
from app.services.surveys.reports import average_rating_by_region
from app.services.text import normalise_email

# Regions began building their structures for validation long after this; earlier is a typing error.
EARLIEST_STEP = date(2000, 1, 1)


def steps() -> list[CollaborationStep]:
    return list(db.session.scalars(select(CollaborationStep).order_by(CollaborationStep.number)))


def record_step(region: Region, step_number: int, recorded_on: date, note: str, by: User) -> RegionStepRecord:
    """Record that a region reached a step on a date; earlier records stay as its history."""
    if db.session.get(CollaborationStep, step_number) is None:
        raise ValidationError({"step_number": _("Choose one of the five steps.")})
    if recorded_on > date.today():
        raise ValidationError({"recorded_on": _("The date cannot be in the future.")})
    if recorded_on < EARLIEST_STEP:
        raise ValidationError({"recorded_on": _("Enter a date from %(year)d onwards.", year=EARLIEST_STEP.year)})
    record = RegionStepRecord(
        region=region,
        step_number=step_number,
        recorded_on=recorded_on,
        note=note.strip(),
        recorded_by_id=by.id,
    )
    db.session.add(record)
    db.session.commit()
    return record


def with_history(code: str) -> Region | None:
    """A region and its step records in one query; `region.step_records` is then its
    history, latest first, and the first record its current step."""
    return (
        db.session.scalars(select(Region).options(joinedload(Region.step_records)).where(Region.code == code))
        .unique()
        .first()
    )


def current_steps() -> dict[int, RegionStepRecord]:
    """Each region's current step record (latest date, then latest entry), by region id, in one query.

    The same order as `Region.step_records`, so the overview and the region page agree even when an
    earlier date is recorded later.
    """
    ranked = select(
        RegionStepRecord.id,
        func.row_number()
        .over(
            partition_by=RegionStepRecord.region_id,
            order_by=(RegionStepRecord.recorded_on.desc(), RegionStepRecord.id.desc()),
        )
        .label("rank"),
    ).subquery()
    records = db.session.scalars(
        select(RegionStepRecord).join(ranked, RegionStepRecord.id == ranked.c.id).where(ranked.c.rank == 1)
    )
    return {record.region_id: record for record in records}


STEP_NAME_LENGTH = 120  # the columns' size


def rename_steps(names: dict[int, tuple[str, str]]) -> None:
    """Let an admin reword the steps: {number: (Swedish name, English name)}; all or nothing."""
    cleaned = {number: (sv.strip(), en.strip()) for number, (sv, en) in names.items()}
    problems = {
        f"step_{number}": _("Each step needs a name in both languages.")
        for number, (sv, en) in cleaned.items()
        if not sv or not en
    }
    problems.update(
        {
            f"step_{number}": _("A step's name can have at most %(n)d characters.", n=STEP_NAME_LENGTH)
            for number, (sv, en) in cleaned.items()
            if len(sv) > STEP_NAME_LENGTH or len(en) > STEP_NAME_LENGTH
        }
    )
    if problems:
        raise ValidationError(problems)
    for step in steps():
        if step.number in cleaned:
            step.name_sv, step.name_en = cleaned[step.number]
    db.session.commit()


# Contact people

CONTACT_LIMITS = {"name": 120, "role": 120, "organisation": 200, "email": 254, "phone": 40}
PHONE_PATTERN = re.compile(r"\+?[0-9 ()/-]{6,40}")


@dataclass
class ContactDetails:
    name: str
    role: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""


def contacts(region: Region) -> list[RegionContact]:
    """A region's contact people by name."""
    return list(
        db.session.scalars(
            select(RegionContact)
            .where(RegionContact.region_id == region.id)
            .order_by(func.lower(RegionContact.name), RegionContact.id)
        )
    )


def contact_of(region: Region, contact_id: int) -> RegionContact | None:
    """The region's contact person with this id, or None."""
    contact = db.session.get(RegionContact, contact_id)
    return contact if contact is not None and contact.region_id == region.id else None


def _clean_contact(details: ContactDetails) -> ContactDetails:
    cleaned = ContactDetails(**{name: (getattr(details, name) or "").strip() for name in CONTACT_LIMITS})
    problems = {}
    if not cleaned.name:
        problems["name"] = _("Enter a name.")
    if cleaned.email:
        try:
            cleaned.email = normalise_email(cleaned.email)
        except ValidationError as error:
            problems.update(error.problems)
    if cleaned.phone and not (PHONE_PATTERN.fullmatch(cleaned.phone) and sum(c.isdigit() for c in cleaned.phone) >= 6):
        problems["phone"] = _("Enter a phone number in digits, like 070-123 45 67.")
    for name, limit in CONTACT_LIMITS.items():
        if name not in problems and len(getattr(cleaned, name)) > limit:
            problems[name] = _("At most %(n)d characters.", n=limit)
    if problems:
        raise ValidationError(problems)
    return cleaned


def add_contact(region: Region, details: ContactDetails, actor: User) -> RegionContact:
    """Add a contact person to a region, e.g. a member of the regional reference group."""
    cleaned = _clean_contact(details)
    contact = RegionContact(region=region, **vars(cleaned))
    db.session.add(contact)
    db.session.flush()
    audit.record(actor, "region.contact_added", region=region.code, contact=contact.id)
    db.session.commit()
    return contact


def update_contact(contact: RegionContact, details: ContactDetails, actor: User) -> None:
    """Change a contact person's details."""
    cleaned = _clean_contact(details)
    changed = [name for name, value in vars(cleaned).items() if getattr(contact, name) != value]
    for name, value in vars(cleaned).items():
        setattr(contact, name, value)
    if changed:
        audit.record(actor, "region.contact_changed", region=contact.region.code, contact=contact.id, fields=changed)
    db.session.commit()


def remove_contact(contact: RegionContact, actor: User) -> None:
    """Remove a contact person; the audit log keeps that they were there, not their details."""
    audit.record(actor, "region.contact_removed", region=contact.region.code, contact=contact.id)
    db.session.delete(contact)
    db.session.commit()


# People reached

HELD = (EventStatus.PUBLISHED, EventStatus.COMPLETED)


def reached_condition():
    """Registrations that count as people reached: of events that were held (ended, not cancelled),
    those who attended, or those confirmed where nobody was checked in at that event."""
    checked_in = aliased(Registration)
    someone_checked_in = exists().where(
        checked_in.event_id == Registration.event_id, checked_in.status == RegistrationStatus.ATTENDED
    )
    return and_(
        Event.status.in_(HELD),
        Event.ends_at < utcnow(),
        or_(
            Registration.status == RegistrationStatus.ATTENDED,
            and_(Registration.status == RegistrationStatus.CONFIRMED, ~someone_checked_in),
        ),
    )


@dataclass
class PeopleReached:
    total: int
    # (sector value, count), most first
    by_sector: list[tuple[str, int]]
    # (municipality as written, count), most first; "" for those who gave none
    by_municipality: list[tuple[str, int]]


def people_reached(region: Region) -> PeopleReached:
    """Participants of the region's held events, by sector and by municipality, in one query."""
    # Spelled differently in different registrations ("linköping"), the same municipality counts once.
    key = func.lower(func.trim(Registration.municipality))
    rows = db.session.execute(
        select(Registration.sector, func.min(func.trim(Registration.municipality)), func.count())
        .join(Event, Registration.event_id == Event.id)
        .where(Event.region_id == region.id, reached_condition())
        .group_by(Registration.sector, key)
    ).all()
    sectors: Counter = Counter()
    municipalities: Counter = Counter()
    spelling: dict[str, str] = {}
    for sector, municipality, n in rows:
        sectors[sector.value] += n
        folded = (municipality or "").lower()
        spelling.setdefault(folded, municipality or "")
        municipalities[folded] += n
    by_sector = sorted(sectors.items(), key=lambda item: (-item[1], item[0]))
    by_municipality = sorted(
        ((spelling[folded], n) for folded, n in municipalities.items()), key=lambda item: (-item[1], item[0].lower())
    )
    return PeopleReached(sum(sectors.values()), by_sector, by_municipality)


@content_version.memoized
def people_reached_by_region() -> dict[int, int]:
    """People reached per region id, in one query: the same rule as `reached_condition`,
    applied to each event's counts (attended, else confirmed) rather than to each of a
    million registrations, which at national scale is three times faster."""
    per_event = (
        select(
            Registration.event_id,
            func.count().filter(Registration.status == RegistrationStatus.ATTENDED).label("attended"),
            func.count().filter(Registration.status == RegistrationStatus.CONFIRMED).label("confirmed"),
        )
        .group_by(Registration.event_id)
        .subquery()
    )
    reached = case((per_event.c.attended > 0, per_event.c.attended), else_=per_event.c.confirmed)
    return {
        region_id: int(total)
        for region_id, total in db.session.execute(
            select(Event.region_id, func.sum(reached))
            .join(per_event, per_event.c.event_id == Event.id)
            .where(Event.region_id.is_not(None), Event.status.in_(HELD), Event.ends_at < utcnow())
            .group_by(Event.region_id)
        )
    }


@content_version.memoized
def average_feedback_by_region() -> dict[int, float]:
    """The average overall rating in the feedback surveys of each region's events, by region id
    (one grouped query); regions without answers are absent, and pages show "–"."""
    return {
        region_id: average
        for region_id, (average, _count) in average_rating_by_region().items()
        if region_id is not None
    }


def average_feedback(region: Region) -> float | None:
    """The average overall rating of one region's events, or None without answers."""
    average, _count = average_rating_by_region(region.id).get(region.id, (None, 0))
    return average


def region_by_code(code: str | None) -> Region | None:
    if not code:
        return None
    return db.session.scalar(select(Region).where(Region.code == code))


def all_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.code)))
