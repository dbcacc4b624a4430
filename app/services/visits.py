"""Visit requests: a region asks for a visit through the public form, or an organiser
proposes one to a region's contact person; organisers review, assign, note and answer;
an accepted request becomes a draft event, and publishing that event schedules it.

Every change is audit-logged and its mail queued in the same transaction as the change.
The requester follows everything through the status page behind a secret link.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from app.display.labels import KIND_LABELS
from app.display.timezones import local_to_utc
from app.extensions import db
from app.models import (
    OPEN_VISIT_STATUSES,
    AuditEntry,
    Event,
    EventKind,
    EventStatus,
    Region,
    Sector,
    User,
    VisitNote,
    VisitNoteKind,
    VisitOrigin,
    VisitRequest,
    VisitStatus,
)
from app.models.tokens import looks_like_token
from app.models.types import utcnow
from app.services import ValidationError, audit, mail
from app.services.text import normalise_email

# Longest text each field keeps; longer input is refused, never cut silently.
LIMITS = {
    "contact_name": 120, "contact_email": 254, "contact_phone": 40, "organisation": 200,
    "period_text": 200, "message": 4000,
}
NOTE_LIMIT = 4000
MAX_AUDIENCE = 10_000
# How far ahead a visit can be asked for.
PLAN_AHEAD = timedelta(days=3 * 366)
# Digits and the usual separators, with at least six digits.
PHONE_PATTERN = re.compile(r"\+?[0-9 ()/-]{6,40}")
# When a request names no date, its draft event is put this far ahead, to be changed.
FALLBACK_LEAD = timedelta(weeks=8)
# Local wall-clock hours of a drafted event: a working day, or a webinar's hour and a half.
DEFAULT_HOURS = {EventKind.WEBINAR: (time(10, 0), time(11, 30))}
WORKING_DAY = (time(9, 0), time(16, 0))


@dataclass
class VisitDetails:
    """What a requester (or a proposing organiser) fills in."""

    region_code: str
    contact_name: str
    contact_email: str
    kind: str
    contact_phone: str = ""
    organisation: str = ""
    period_start: date | None = None
    period_end: date | None = None
    period_text: str = ""
    audience_sectors: list[str] = field(default_factory=list)
    audience_size: int | None = None
    message: str = ""
    consent: bool = False


@dataclass
class Period:
    """A period the region's contact suggests instead of the proposed one."""

    start: date | None = None
    end: date | None = None
    text: str = ""


class VisitStatusRefused(ValueError):
    """The request's status does not allow that step."""


def period_problems(period: Period, *, today: date | None = None) -> dict[str, str]:
    """A period needs dates, words, or both; dates from today, within the next three years, in order."""
    today = today or date.today()
    problems: dict[str, str] = {}
    if period.start is None and period.end is None and not period.text.strip():
        problems["period_start"] = _('Give a period: dates, a description such as "autumn 2027", or both.')
    elif period.start is None and period.end is not None:
        problems["period_start"] = _("Give the earliest date as well.")
    for name, day in (("period_start", period.start), ("period_end", period.end)):
        if day is None or name in problems:
            continue
        if day < today:
            problems[name] = _("The date cannot be in the past.")
        elif day > today + PLAN_AHEAD:
            problems[name] = _("Choose a date within the next three years.")
    if period.start and period.end and period.end < period.start and "period_end" not in problems:
        problems["period_end"] = _("The latest date must be on or after the earliest date.")
    if len(period.text.strip()) > LIMITS["period_text"]:
        problems["period_text"] = _("At most %(n)d characters.", n=LIMITS["period_text"])
    return problems


def problems_with(details: VisitDetails, *, public: bool, today: date | None = None) -> dict[str, str]:
    """The rules a visit request keeps, as translated messages by field name.

    `public` requests (the public form) also need an audience and consent to the privacy notice.
    """
    problems: dict[str, str] = {}
    if _region(details.region_code) is None:
        problems["region"] = _("Choose a region.")
    if not details.contact_name.strip():
        problems["contact_name"] = _("Enter the contact person's name.")
    try:
        normalise_email(details.contact_email)
    except ValidationError:
        problems["contact_email"] = _("Enter a valid email address.")
    phone = details.contact_phone.strip()
    if phone and not (PHONE_PATTERN.fullmatch(phone) and sum(c.isdigit() for c in phone) >= 6):
        problems["contact_phone"] = _("Enter a phone number in digits, like 070-123 45 67.")
    if details.kind not in {kind.value for kind in EventKind}:
        problems["kind"] = _("Choose the kind of event.")
    problems.update(period_problems(
        Period(details.period_start, details.period_end, details.period_text), today=today
    ))
    sectors = {sector.value for sector in Sector}
    if any(value not in sectors for value in details.audience_sectors):
        problems["audience_sectors"] = _("Choose groups from the list.")
    elif public and not details.audience_sectors:
        problems["audience_sectors"] = _("Choose at least one group the event is for.")
    if details.audience_size is not None and not 1 <= details.audience_size <= MAX_AUDIENCE:
        problems["audience_size"] = _("Enter a number from 1 to %(n)d.", n=MAX_AUDIENCE)
    for name, limit in LIMITS.items():
        if name not in problems and len((getattr(details, name) or "").strip()) > limit:
            problems[name] = _("At most %(n)d characters.", n=limit)
    if public and not details.consent:
        problems["consent"] = _("You need to agree to the privacy notice to send the request.")
    return problems


def _region(code: str) -> Region | None:
    if not code:
        return None
    return db.session.scalar(select(Region).where(Region.code == code))


def _new_visit(details: VisitDetails, origin: VisitOrigin, status: VisitStatus, locale: str) -> VisitRequest:
    if locale not in current_app.config["LANGUAGES"]:
        locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    # Keep the order of the form, without repeats.
    sectors = [sector.value for sector in Sector if sector.value in details.audience_sectors]
    visit = VisitRequest(
        origin=origin, status=status, region=_region(details.region_code),
        contact_name=details.contact_name.strip(), contact_email=normalise_email(details.contact_email),
        contact_phone=details.contact_phone.strip(), organisation=details.organisation.strip(),
        kind=EventKind(details.kind), period_start=details.period_start, period_end=details.period_end,
        period_text=details.period_text.strip(), audience_sectors=sectors,
        audience_size=details.audience_size, message=details.message.strip(), locale=locale,
    )
    db.session.add(visit)
    db.session.flush()
    return visit


def submit_request(details: VisitDetails, *, locale: str) -> VisitRequest:
    """A region asks for a visit through the public form; the requester is mailed the status link."""
    problems = problems_with(details, public=True)
    if problems:
        raise ValidationError(problems)
    visit = _new_visit(details, VisitOrigin.REQUEST, VisitStatus.NEW, locale)
    visit.consent_at = utcnow()
    visit.privacy_notice_version = current_app.config["PRIVACY_NOTICE_VERSION"]
    audit.record(None, "visit.requested", visit_request=visit.id, region=visit.region.code)
    _mail_requester(visit, "visit_received", _l("We have received your visit request"))
    db.session.commit()
    return visit


def propose(details: VisitDetails, author: User, *, locale: str) -> VisitRequest:
    """An organiser proposes a visit to a region's contact person, who answers through the emailed link."""
    problems = problems_with(details, public=False)
    if problems:
        raise ValidationError(problems)
    visit = _new_visit(details, VisitOrigin.PROPOSAL, VisitStatus.PROPOSED, locale)
    visit.created_by_id = author.id
    visit.assignee_id = author.id
    audit.record(author, "visit.proposed", visit_request=visit.id, region=visit.region.code)
    _mail_requester(
        visit, "visit_proposed",
        _l("Would you like a visit to %(region)s?", region=visit.region.name), author=author,
    )
    db.session.commit()
    return visit


def find_by_token(token: str) -> VisitRequest | None:
    """The request a status link opens; None for anything that is not exactly its token."""
    if not looks_like_token(token):
        return None
    return db.session.scalar(
        select(VisitRequest)
        .options(selectinload(VisitRequest.region), selectinload(VisitRequest.notes), selectinload(VisitRequest.event))
        .where(VisitRequest.token == token)
    )


def public_notes(visit: VisitRequest) -> list[VisitNote]:
    """The answers and replies the requester may read; internal notes never."""
    return [note for note in visit.notes if note.is_public]


# The organisers' queue

@dataclass
class QueueFilters:
    status: VisitStatus | None = None
    # True: only open requests (the default view), False: all.
    open_only: bool = True
    region: Region | None = None
    origin: VisitOrigin | None = None
    # A user id, or 0 for "assigned to nobody".
    assignee_id: int | None = None
    search: str = ""


def queue_query(filters: QueueFilters) -> Select:
    """Visit requests for the organisers' queue, oldest open first, with what the list shows."""
    query = select(VisitRequest).options(
        selectinload(VisitRequest.region), selectinload(VisitRequest.assignee), selectinload(VisitRequest.event),
    )
    if filters.status is not None:
        query = query.where(VisitRequest.status == filters.status)
    elif filters.open_only:
        query = query.where(VisitRequest.status.in_(OPEN_VISIT_STATUSES))
    if filters.region is not None:
        query = query.where(VisitRequest.region_id == filters.region.id)
    if filters.origin is not None:
        query = query.where(VisitRequest.origin == filters.origin)
    if filters.assignee_id == 0:
        query = query.where(VisitRequest.assignee_id.is_(None))
    elif filters.assignee_id is not None:
        query = query.where(VisitRequest.assignee_id == filters.assignee_id)
    if filters.search:
        pattern = "%" + filters.search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(
            func.lower(VisitRequest.contact_name).like(pattern, escape="\\"),
            func.lower(VisitRequest.contact_email).like(pattern, escape="\\"),
            func.lower(VisitRequest.organisation).like(pattern, escape="\\"),
        ))
    return query.order_by(VisitRequest.created_at, VisitRequest.id)


def status_counts() -> dict[VisitStatus, int]:
    """How many requests have each status, for the queue's summary."""
    counts = dict(db.session.execute(
        select(VisitRequest.status, func.count()).group_by(VisitRequest.status)
    ).all())
    return {status: counts.get(status, 0) for status in VisitStatus}


def for_region(region: Region) -> tuple[list[VisitRequest], list[VisitRequest]]:
    """A region's open and past (declined or scheduled) requests, newest first."""
    visits = db.session.scalars(
        select(VisitRequest).options(selectinload(VisitRequest.assignee), selectinload(VisitRequest.event))
        .where(VisitRequest.region_id == region.id)
        .order_by(VisitRequest.created_at.desc(), VisitRequest.id.desc())
    ).all()
    return [v for v in visits if v.is_open], [v for v in visits if not v.is_open]


def for_event(event: Event) -> VisitRequest | None:
    """The visit request an event was made from, if any."""
    return db.session.scalar(select(VisitRequest).where(VisitRequest.event_id == event.id).limit(1))


def log(visit: VisitRequest) -> list:
    """The audit entries about one request, newest first."""
    return list(db.session.scalars(
        select(AuditEntry).options(selectinload(AuditEntry.actor))
        .where(AuditEntry.action.like("visit.%"), AuditEntry.details["visit_request"].as_integer() == visit.id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    ))


# Organisers' actions

def _require(visit: VisitRequest, *allowed: VisitStatus) -> None:
    if visit.status not in allowed:
        raise VisitStatusRefused(visit.status)


def _note(visit: VisitRequest, kind: VisitNoteKind, body: str, author: User | None) -> VisitNote | None:
    body = body.strip()
    if not body:
        return None
    note = VisitNote(
        kind=kind, body=body, author_id=author.id if author else None,
        author_name=author.name if author else visit.contact_name,
    )
    visit.notes.append(note)
    return note


def _check_note(body: str, field_name: str = "body", *, required: bool = True) -> None:
    if required and not body.strip():
        raise ValidationError({field_name: _("Write something first.")})
    if len(body.strip()) > NOTE_LIMIT:
        raise ValidationError({field_name: _("At most %(n)d characters.", n=NOTE_LIMIT)})


def start_review(visit: VisitRequest, actor: User) -> None:
    """Mark a new request as being looked at, so colleagues see someone has it."""
    _require(visit, VisitStatus.NEW)
    visit.status = VisitStatus.IN_REVIEW
    if visit.assignee_id is None:
        visit.assignee_id = actor.id
    audit.record(actor, "visit.in_review", visit_request=visit.id)
    db.session.commit()


def assign(visit: VisitRequest, assignee: User | None, actor: User) -> None:
    """Give the request to a colleague (or to nobody)."""
    if assignee is not None and not assignee.active:
        raise ValidationError({"assignee": _("Choose an active colleague.")})
    visit.assignee_id = assignee.id if assignee else None
    audit.record(actor, "visit.assigned", visit_request=visit.id, assignee=assignee.id if assignee else None)
    db.session.commit()


def add_note(visit: VisitRequest, body: str, actor: User) -> None:
    """An internal note for colleagues; the requester never sees it."""
    _check_note(body)
    _note(visit, VisitNoteKind.INTERNAL, body, actor)
    audit.record(actor, "visit.noted", visit_request=visit.id)
    db.session.commit()


def answer(visit: VisitRequest, body: str, actor: User) -> None:
    """Write to the requester: the answer is emailed and shown on their status page."""
    _check_note(body)
    _note(visit, VisitNoteKind.ANSWER, body, actor)
    if visit.status == VisitStatus.NEW:
        visit.status = VisitStatus.IN_REVIEW
    audit.record(actor, "visit.answered", visit_request=visit.id)
    _mail_requester(visit, "visit_answered", _l("An answer about your visit request"), answer=body.strip())
    db.session.commit()


def can_accept(visit: VisitRequest) -> bool:
    """Whether the request can be accepted now; one whose draft was deleted can be accepted again."""
    return visit.status in (VisitStatus.NEW, VisitStatus.IN_REVIEW) or (
        visit.status == VisitStatus.ACCEPTED and visit.event_id is None
    )


def accept(visit: VisitRequest, actor: User, message: str = "") -> Event:
    """Accept the request: a draft event pre-filled from it, linked to it, and a mail to the requester.

    A request whose draft was deleted can be accepted again for a new draft.
    """
    if not can_accept(visit):
        raise VisitStatusRefused(visit.status)
    _check_note(message, "message", required=False)
    event = _make_accepted(visit, actor, [actor])
    _note(visit, VisitNoteKind.ANSWER, message, actor)
    audit.record(actor, "visit.accepted", event=event, visit_request=visit.id)
    _mail_requester(visit, "visit_accepted", _l("Your visit request is accepted"), answer=message.strip())
    db.session.commit()
    return event


def decline(visit: VisitRequest, actor: User, message: str = "") -> None:
    """Decline the request (or withdraw a proposal); the requester is told, with the message if any."""
    _require(visit, VisitStatus.PROPOSED, VisitStatus.NEW, VisitStatus.IN_REVIEW)
    _check_note(message, "message", required=False)
    was_proposal_waiting = visit.status == VisitStatus.PROPOSED
    visit.status = VisitStatus.DECLINED
    _note(visit, VisitNoteKind.ANSWER, message, actor)
    audit.record(actor, "visit.declined", visit_request=visit.id)
    subject = _l("The visit proposal is withdrawn") if was_proposal_waiting else _l("About your visit request")
    _mail_requester(visit, "visit_declined", subject, answer=message.strip(), withdrawn=was_proposal_waiting)
    db.session.commit()


def reopen(visit: VisitRequest, actor: User) -> None:
    """Take a declined request up again, e.g. after a mistake."""
    _require(visit, VisitStatus.DECLINED)
    visit.status = VisitStatus.IN_REVIEW
    audit.record(actor, "visit.reopened", visit_request=visit.id)
    db.session.commit()


# The region's contact answers a proposal through the status link

CONTACT_CHOICES = ("accept", "decline", "suggest")


def respond_to_proposal(visit: VisitRequest, choice: str, *, message: str = "", period: Period | None = None) -> None:
    """The contact accepts (a draft event is made), declines, or suggests another period (back to review).

    The organiser who has the proposal is mailed the answer.
    """
    if not visit.is_proposal:
        raise VisitStatusRefused(visit.status)
    _require(visit, VisitStatus.PROPOSED)
    if choice not in CONTACT_CHOICES:
        raise ValidationError({"choice": _("Choose an answer.")})
    _check_note(message, "message", required=False)
    if choice == "suggest":
        period = period or Period()
        problems = period_problems(period)
        if problems:
            raise ValidationError(problems)
        visit.period_start, visit.period_end, visit.period_text = period.start, period.end, period.text.strip()
        visit.status = VisitStatus.IN_REVIEW
        audit.record(None, "visit.contact_suggested", visit_request=visit.id)
    elif choice == "accept":
        organisers = [user for user in (visit.assignee, visit.created_by) if user is not None]
        event = _make_accepted(visit, None, organisers)
        audit.record(None, "visit.contact_accepted", event=event, visit_request=visit.id)
    else:
        visit.status = VisitStatus.DECLINED
        audit.record(None, "visit.contact_declined", visit_request=visit.id)
    _note(visit, VisitNoteKind.REPLY, message, None)
    _mail_organiser(visit, choice, message.strip())
    db.session.commit()


# From accepted to scheduled

def _make_accepted(visit: VisitRequest, actor: User | None, organisers: list[User]) -> Event:
    """Mark accepted and make its draft event; the caller audits, mails and commits."""
    visit.status = VisitStatus.ACCEPTED
    event = draft_event_for(visit, actor)
    event.organisers = list(dict.fromkeys(user for user in organisers if user is not None))
    db.session.add(event)
    visit.event = event
    audit.record(actor, "event.created", event=event, visit_request=visit.id)
    return event


def draft_event_for(visit: VisitRequest, author: User | None, *, today: date | None = None) -> Event:
    """A draft pre-filled from the request: region, kind, a day in its period, a Swedish title.

    The organisers add the venue and the rest before publishing.
    """
    with force_locale("sv"):  # events are titled in Swedish first
        title = _("%(kind)s in %(region)s", kind=str(KIND_LABELS[visit.kind]), region=visit.region.name)
    day = suggested_day(visit, today=today)
    starts, ends = DEFAULT_HOURS.get(visit.kind, WORKING_DAY)
    return Event(
        kind=visit.kind, title=title[:200], region=visit.region, status=EventStatus.DRAFT,
        starts_at=local_to_utc(datetime.combine(day, starts)), ends_at=local_to_utc(datetime.combine(day, ends)),
        capacity=visit.audience_size, created_by_id=author.id if author else visit.created_by_id,
    )


def suggested_day(visit: VisitRequest, *, today: date | None = None) -> date:
    """The first day of the period; without one (or one already past), a weekday some weeks ahead."""
    today = today or date.today()
    if visit.period_start and visit.period_start >= today:
        return visit.period_start
    day = today + FALLBACK_LEAD
    while day.weekday() >= 5:  # a weekday, not a weekend
        day += timedelta(days=1)
    return day


def event_published(event: Event, actor: User | None) -> None:
    """Called by events.publish_event in its transaction: the request becomes scheduled, the requester is told."""
    visits = db.session.scalars(
        select(VisitRequest).where(VisitRequest.event_id == event.id, VisitRequest.status == VisitStatus.ACCEPTED)
    ).all()
    for visit in visits:
        visit.status = VisitStatus.SCHEDULED
        audit.record(actor, "visit.scheduled", event=event, visit_request=visit.id)
        _mail_requester(visit, "visit_scheduled", _l("Your visit is scheduled: %(title)s", title=event.title),
                        event=event)


# Mail

def _mail_requester(visit: VisitRequest, template: str, subject, **context) -> None:
    if visit.erased_at is not None:
        return  # the contact's address is erased: there is nobody to write to
    message = mail.enqueue(
        visit.contact_email, template, locale=visit.locale, subject=subject, to_name=visit.contact_name,
        visit=visit, **context,
    )
    message.visit_request_id = visit.id


def _mail_organiser(visit: VisitRequest, choice: str, message: str) -> None:
    organiser = visit.assignee or visit.created_by
    if organiser is None or not organiser.active:
        return
    subjects = {
        "accept": _l("%(region)s accepted your visit proposal", region=visit.region.name),
        "decline": _l("%(region)s declined your visit proposal", region=visit.region.name),
        "suggest": _l("%(region)s suggests another period for a visit", region=visit.region.name),
    }
    notice = mail.enqueue(
        organiser.email, "visit_contact_answered", locale=current_app.config["BABEL_DEFAULT_LOCALE"],
        subject=subjects[choice], to_name=organiser.name, visit=visit, choice=choice, reply=message,
    )
    notice.visit_request_id = visit.id
