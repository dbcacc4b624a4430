"""A region's request for a visit, an organiser's proposal of one, and their rules."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import EventKind, Region, Sector, User, VisitNote, VisitOrigin, VisitRequest, VisitStatus
from app.models.tokens import looks_like_token
from app.models.types import utcnow
from app.services import ValidationError, audit
from app.services.text import normalise_email
from app.services.visits.notices import mail_requester

# Longest text each field keeps; longer input is refused, never cut silently.
LIMITS = {
    "contact_name": 120,
    "contact_email": 254,
    "contact_phone": 40,
    "organisation": 200,
    "period_text": 200,
    "message": 4000,
}


NOTE_LIMIT = 4000


MAX_AUDIENCE = 10_000


# How far ahead a visit can be asked for.
PLAN_AHEAD = timedelta(days=3 * 366)


# Digits and the usual separators, with at least six digits.
PHONE_PATTERN = re.compile(r"\+?[0-9 ()/-]{6,40}")


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
        # The public form asks the requester for their own name.
        problems["contact_name"] = _("Enter your name.") if public else _("Enter the contact person's name.")
    try:
        normalise_email(details.contact_email)
    except ValidationError:
        problems["contact_email"] = _("Enter a valid email address.")
    phone = details.contact_phone.strip()
    if phone and not (PHONE_PATTERN.fullmatch(phone) and sum(c.isdigit() for c in phone) >= 6):
        problems["contact_phone"] = _("Enter a phone number in digits, like 070-123 45 67.")
    if details.kind not in {kind.value for kind in EventKind}:
        problems["kind"] = _("Choose the kind of event.")
    problems.update(period_problems(Period(details.period_start, details.period_end, details.period_text), today=today))
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
        origin=origin,
        status=status,
        region=_region(details.region_code),
        contact_name=details.contact_name.strip(),
        contact_email=normalise_email(details.contact_email),
        contact_phone=details.contact_phone.strip(),
        organisation=details.organisation.strip(),
        kind=EventKind(details.kind),
        period_start=details.period_start,
        period_end=details.period_end,
        period_text=details.period_text.strip(),
        audience_sectors=sectors,
        audience_size=details.audience_size,
        message=details.message.strip(),
        locale=locale,
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
    mail_requester(visit, "visit_received", _l("We have received your visit request"))
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
    mail_requester(
        visit,
        "visit_proposed",
        _l("Would you like a visit to %(region)s?", region=visit.region.name),
        author=author,
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
