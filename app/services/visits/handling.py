"""The organisers' steps with a request, the region contact's answer to a proposal, and the
draft event an accepted request becomes."""

from datetime import date, datetime, time, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.display.labels import KIND_LABELS
from app.display.timezones import local_to_utc
from app.extensions import db
from app.models import Event, EventKind, EventStatus, User, VisitNote, VisitNoteKind, VisitRequest, VisitStatus
from app.services import ValidationError, audit
from app.services.visits.notices import mail_organiser, mail_requester
from app.services.visits.requests import NOTE_LIMIT, Period, period_problems

# When a request names no date, its draft event is put this far ahead, to be changed.
FALLBACK_LEAD = timedelta(weeks=8)


# Local wall-clock hours of a drafted event: a working day, or a webinar's hour and a half.
DEFAULT_HOURS = {EventKind.WEBINAR: (time(10, 0), time(11, 30))}


WORKING_DAY = (time(9, 0), time(16, 0))


class VisitStatusRefused(ValueError):
    """The request's status does not allow that step."""


def _require(visit: VisitRequest, *allowed: VisitStatus) -> None:
    if visit.status not in allowed:
        raise VisitStatusRefused(visit.status)


def _note(visit: VisitRequest, kind: VisitNoteKind, body: str, author: User | None) -> VisitNote | None:
    body = body.strip()
    if not body:
        return None
    note = VisitNote(
        kind=kind,
        body=body,
        author_id=author.id if author else None,
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
    mail_requester(visit, "visit_answered", _l("An answer about your visit request"), answer=body.strip())
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
    mail_requester(visit, "visit_accepted", _l("Your visit request is accepted"), answer=message.strip())
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
    mail_requester(visit, "visit_declined", subject, answer=message.strip(), withdrawn=was_proposal_waiting)
    db.session.commit()


def reopen(visit: VisitRequest, actor: User) -> None:
    """Take a declined request up again, e.g. after a mistake."""
    _require(visit, VisitStatus.DECLINED)
    visit.status = VisitStatus.IN_REVIEW
    audit.record(actor, "visit.reopened", visit_request=visit.id)
    db.session.commit()


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
    mail_organiser(visit, choice, message.strip())
    db.session.commit()


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
        kind=visit.kind,
        title=title[:200],
        region=visit.region,
        status=EventStatus.DRAFT,
        starts_at=local_to_utc(datetime.combine(day, starts)),
        ends_at=local_to_utc(datetime.combine(day, ends)),
        capacity=visit.audience_size,
        created_by_id=author.id if author else visit.created_by_id,
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
        mail_requester(
            visit, "visit_scheduled", _l("Your visit is scheduled: %(title)s", title=event.title), event=event
        )
