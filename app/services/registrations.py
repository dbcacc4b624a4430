"""Registrations: signing up, the waiting list, changes, cancellations, check-in and
the mail that goes with each, queued in the same transaction as the change.

Seats are counted under a lock on the event (a row lock on PostgreSQL, the database
write lock on SQLite), so concurrent registrations never overbook an event.

Lock order, the same in every transaction, so that none can deadlock with another:
1. the event's row (`_lock`), before the transaction's first write. Every writer here
   that changes seats, a registration's row or mail listed with the event takes it
   first: a row that refers to the event (a registration, a queued mail) cannot be
   written while another transaction holds the event, so a transaction that wrote
   anything before would be holding it while it waits;
2. the registration rows it changes;
3. the content version, raised by the commit after everything else is written
   (app/cache/content_version.py).
Waits are bounded (DATABASE_LOCK_TIMEOUT_MS): a request whose lock does not come in
time answers "busy, try again" (app/web/errors.py) and changes nothing; a registration
waits on while the lock keeps changing hands (`_lock_while_it_moves`).
"""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, literal, literal_column, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import selectinload

from app.cache import content_version
from app.database import timeouts
from app.display.formatting import short_datetime
from app.extensions import db
from app.models import (
    ACTIVE_STATUSES,
    SEATED_STATUSES,
    Event,
    EventStatus,
    InvitationStatus,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    Sector,
    User,
)
from app.models.tokens import looks_like_token, new_token
from app.models.types import utcnow
from app.services import ValidationError, audit, mail
from app.services.ical import invitation_ics
from app.services.text import normalise_email

# Longest text each field keeps; longer input is refused, never cut silently.
LIMITS = {
    "name": 120, "email": 254, "organisation": 200, "municipality": 100,
    "dietary_needs": 500, "accessibility_needs": 500,
}
# How often anyone can make us mail a registration's link again (by registering twice).
LINK_RESEND_INTERVAL = timedelta(minutes=10)
# Longest a registration waits for an event's lock while it keeps changing hands (a burst),
# within gunicorn's 30 s timeout; a lock held all along answers "busy" much sooner.
LOCK_BUDGET = timedelta(seconds=20)
MAX_REMINDER_DAYS = 30
# Names and the like go into mail headers and CSV rows: no line breaks or control characters.
SINGLE_LINE = ("name", "organisation", "municipality")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class RegistrationDetails:
    """What a person fills in to register, or to change their registration."""

    name: str
    email: str
    sector: str
    organisation: str = ""
    municipality: str = ""
    dietary_needs: str = ""
    accessibility_needs: str = ""
    consent: bool = False
    # "Keep me informed about future events": may join the address book.
    keep_informed: bool = False


class RegistrationClosed(Exception):
    """Registration is not possible now; `str(error)` says why, translated."""


@dataclass
class Outcome:
    registration: Registration
    # False when the address was already registered: nothing new was made.
    created: bool
    # Read when the outcome is made, before a commit expires the registration, so
    # pointing the person to their registration costs no query.
    registration_id: int = field(init=False)
    manage_token: str = field(init=False)

    def __post_init__(self) -> None:
        self.registration_id, self.manage_token = self.registration.id, self.registration.manage_token


def problems_with(details: RegistrationDetails, *, new: bool) -> dict[str, str]:
    """The rules a registration must keep, as translated messages by field name."""
    problems: dict[str, str] = {}
    if not details.name.strip():
        problems["name"] = _("Enter your name.")
    if new:
        try:
            normalise_email(details.email)
        except ValidationError as error:
            problems.update(error.problems)
    if details.sector not in {sector.value for sector in Sector}:
        problems["sector"] = _("Choose the sector you work in.")
    for name in SINGLE_LINE:
        if CONTROL_CHARACTERS.search(getattr(details, name) or ""):
            problems[name] = _("Write it on one line, without special characters.")
    for name, limit in LIMITS.items():
        if len((getattr(details, name) or "").strip()) > limit:
            problems[name] = _("At most %(n)d characters.", n=limit)
    if new and not details.consent:
        problems["consent"] = _("You need to agree to the privacy notice to register.")
    return problems


def closed_reason(event: Event, *, invitation=None, now: datetime | None = None) -> str | None:
    """Why nobody can register for the event right now, or None when registration is open.

    `invitation` is the invitation a person came through; invitation-only events accept
    registrations only with one.
    """
    now = now or utcnow()
    if invitation is not None and (invitation.event_id != event.id or invitation.status == InvitationStatus.REVOKED):
        return _("This invitation is no longer valid.")
    if event.status == EventStatus.CANCELLED:
        return _("The event is cancelled.")
    if event.status != EventStatus.PUBLISHED:
        return _("Registration is not open for this event.")
    if event.starts_at <= now or (event.registration_closes_at and event.registration_closes_at <= now):
        return _("Registration has closed.")
    if event.registration_opens_at and event.registration_opens_at > now:
        return _("Registration opens %(when)s.", when=short_datetime(event.registration_opens_at))
    if event.invitation_only and invitation is None:
        return _("This event is by invitation only. Register through the link in your invitation.")
    return None


def _lock(event: Event, *, refresh: bool = False) -> None:
    """Hold the event until the transaction ends, so seat counts cannot race.

    `refresh` reloads the event as it is now (its status or capacity may just have
    changed), in the same statement as the lock.
    """
    _lock_event_id(event.id, refresh=refresh)


def _lock_event_id(event_id: int, *, refresh: bool = False) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        statement = select(Event).where(Event.id == event_id).with_for_update()
    else:
        # SQLite has no row locks; a write takes the database write lock for the transaction.
        statement = (
            update(Event).where(Event.id == event_id)
            .values(sequence=Event.sequence, updated_at=Event.updated_at)  # changes nothing, not even the time
            .execution_options(synchronize_session=False, **{content_version.UNCHANGED: True})
        )
        if refresh:
            statement = statement.returning(Event)
    if refresh:
        statement = statement.execution_options(populate_existing=True)
    db.session.execute(statement)


def seats_taken(event: Event) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(SEATED_STATUSES))
    )


def seats_left(event: Event) -> int | None:
    """Free seats, or None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - seats_taken(event), 0)


def seats_left_by_event(events: list[Event]) -> dict[int, int | None]:
    """Free seats of several events in one query, for lists."""
    ids = [event.id for event in events if event.capacity is not None]
    taken: dict[int, int] = {}
    if ids:
        taken = dict(db.session.execute(
            select(Registration.event_id, func.count())
            .where(Registration.event_id.in_(ids), Registration.status.in_(SEATED_STATUSES))
            .group_by(Registration.event_id)
        ).all())
    return {
        event.id: None if event.capacity is None else max(event.capacity - taken.get(event.id, 0), 0)
        for event in events
    }


def status_counts(event: Event) -> dict[RegistrationStatus, int]:
    counts = dict(db.session.execute(
        select(Registration.status, func.count()).where(Registration.event_id == event.id)
        .group_by(Registration.status)
    ).all())
    return {status: counts.get(status, 0) for status in RegistrationStatus}


class SeatState(NamedTuple):
    taken: int
    waiting: int
    # The address's registration for the event, if it has one.
    registration_id: int | None
    # Who last locked or changed the event's row (PostgreSQL's xmax; None elsewhere).
    holder: str | None


def _seat_state(event: Event, email: str) -> SeatState:
    """Seats taken, people waiting, the address's registration and the event row's
    holder, in one query."""
    return SeatState(*db.session.execute(
        select(
            func.count().filter(Registration.status.in_(SEATED_STATUSES)),
            func.count().filter(Registration.status == RegistrationStatus.WAITLISTED),
            func.max(Registration.id).filter(Registration.email == email),
            _holder_of(event),
        ).where(Registration.event_id == event.id)
    ).one())


def _holder_of(event: Event):
    if db.session.get_bind().dialect.name != "postgresql":
        return literal(None)
    return select(literal_column("xmax::text")).select_from(Event).where(Event.id == event.id).scalar_subquery()


def _seated(event: Event, state: SeatState) -> bool:
    """Whether a newcomer gets a seat: a free seat goes to the waiting list first."""
    return event.capacity is None or (state.taken < event.capacity and not state.waiting)


def _lock_while_it_moves(event: Event, holder: str | None) -> None:
    """`_lock(event, refresh=True)`, waiting on for as long as the lock changes hands.

    A wait that runs out (DATABASE_LOCK_TIMEOUT_MS) answers "busy" when one transaction
    held the event all along. In a burst for the last seats the lock passes from one
    registration to the next every few milliseconds and only the queue is long: the
    row's holder (`_holder_of`) has changed meanwhile, so the request waits again,
    within LOCK_BUDGET, and the people of a burst are registered rather than turned away.
    """
    deadline = time.monotonic() + LOCK_BUDGET.total_seconds()
    while True:
        try:
            _lock(event, refresh=True)
            return
        except OperationalError as error:
            if holder is None or timeouts.ran_out(error) != "lock":
                raise
            db.session.rollback()
            now_holding = db.session.scalar(select(_holder_of(event)))
            if now_holding == holder or time.monotonic() > deadline:
                raise
            holder = now_holding


def find(event: Event, email: str) -> Registration | None:
    return db.session.scalar(select(Registration).where(Registration.event_id == event.id, Registration.email == email))


def find_by_token(token: str) -> Registration | None:
    """The registration a manage link opens; None for anything that is not exactly its token."""
    if not looks_like_token(token):
        return None
    return db.session.scalar(
        select(Registration).options(selectinload(Registration.event)).where(Registration.manage_token == token)
    )


def register(event: Event, details: RegistrationDetails, *, locale: str, invitation=None,
             on_created: Callable[[Registration], None] | None = None) -> Outcome:
    """Register a person: a seat when one is free, else the waiting list; mail either way.

    An address already registered for the event gets its existing registration back
    (`created` False) and nothing new is made. A cancelled registration is taken up again.
    Raises ValidationError for bad input and RegistrationClosed when registration is not open.
    `on_created(registration)` runs in the same transaction when a registration is made (the
    invitation it came through records it).

    The event's lock is held for the seat decision only: the registration and its mail
    are prepared before it (the mail for the outcome the seats now suggest, made again
    in the rare case the decision differs), so a burst for the last seats, which goes
    through the lock one at a time, goes through it fast.
    """
    if invitation is not None:
        details = replace(details, email=invitation.email)  # locked to the invited address
    problems = problems_with(details, new=True)
    if problems:
        raise ValidationError(problems)
    email = normalise_email(details.email)
    if (reason := closed_reason(event, invitation=invitation)) is not None:
        raise RegistrationClosed(reason)
    draft = Registration(event=event, email=email, manage_token=new_token(), locale=locale)
    _apply(draft, details)
    _ask_to_keep_informed(draft, details.keep_informed, confirmed=invitation is not None)
    before = _seat_state(event, email)
    likely_seated = _seated(event, before)
    message = _registration_mail(draft, seated=likely_seated)

    _lock_while_it_moves(event, before.holder)
    # The event may have been cancelled or closed while we waited for the lock.
    if (reason := closed_reason(event, invitation=invitation)) is not None:
        db.session.rollback()
        raise RegistrationClosed(reason)
    state = _seat_state(event, email)
    registration = (
        db.session.get(Registration, state.registration_id, populate_existing=True) if state.registration_id else None
    )
    if registration is not None and registration.is_active:
        db.session.rollback()
        return Outcome(registration, created=False)

    now = utcnow()
    seated = _seated(event, state)
    if registration is None:
        registration = draft
        db.session.add(registration)
    else:
        # A cancelled registration taken up again, perhaps by someone else typing the
        # address: a new link, so the old one (in the earlier mails) opens nothing.
        _apply(registration, details)
        registration.manage_token = draft.manage_token
    registration.locale = locale
    registration.consent_at = now
    registration.privacy_notice_version = current_app.config["PRIVACY_NOTICE_VERSION"]
    registration.cancelled_at = None
    registration.created_at = now
    registration.keep_informed_at = draft.keep_informed_at
    registration.keep_informed_confirmed_at = draft.keep_informed_confirmed_at
    if seated:
        registration.status, registration.waitlisted_at = RegistrationStatus.CONFIRMED, None
    else:
        registration.status, registration.waitlisted_at = RegistrationStatus.WAITLISTED, now
    try:
        db.session.flush()
    except IntegrityError:
        # The same address registered in another request a moment ago (a double click).
        db.session.rollback()
        existing = find(event, email)
        if existing is None:
            raise
        return Outcome(existing, created=False)
    if on_created is not None:
        on_created(registration)
    if seated != likely_seated:
        message = _registration_mail(registration, seated=seated)
    message.registration = registration
    db.session.add(message)
    outcome = Outcome(registration, created=True)
    db.session.commit()
    return outcome


def _registration_mail(registration: Registration, *, seated: bool) -> OutboxMessage:
    """The confirmation or waiting-list mail of a new registration, not yet queued."""
    return _confirmed_mail(registration) if seated else _waitlisted_mail(registration)


def _apply(registration: Registration, details: RegistrationDetails) -> None:
    registration.name = details.name.strip()
    registration.sector = Sector(details.sector)
    registration.organisation = details.organisation.strip()
    registration.municipality = details.municipality.strip()
    registration.dietary_needs = details.dietary_needs.strip()
    registration.accessibility_needs = details.accessibility_needs.strip()


def _ask_to_keep_informed(registration: Registration, asked: bool, *, confirmed: bool) -> None:
    """Record "keep me informed". Through a public form anyone may type anyone's address, so
    it counts only once the mailbox's owner confirms it from the link mailed to them; through
    their own invitation link (or their registration's), the person has just proved it."""
    now = utcnow()
    registration.keep_informed_at = now if asked else None
    registration.keep_informed_confirmed_at = now if asked and confirmed else None


def confirm_keep_informed(registration: Registration, wanted: bool) -> None:
    """The answer, from the registration's own page, to "keep me informed about future events?"."""
    _ask_to_keep_informed(registration, wanted, confirmed=True)
    db.session.commit()


def change_refused_reason(registration: Registration) -> str | None:
    """Why the participant can no longer change or cancel the registration, or None."""
    if registration.status == RegistrationStatus.CANCELLED:
        return _("This registration is cancelled.")
    if registration.event.status == EventStatus.CANCELLED:
        return _("The event is cancelled.")
    if registration.event.starts_at <= utcnow():
        return _("The event has started, so the registration can no longer be changed.")
    return None


def change(registration: Registration, details: RegistrationDetails) -> None:
    """Save a participant's changes to their own registration (not the address)."""
    if (reason := change_refused_reason(registration)) is not None:
        raise ValidationError({"form": reason})
    problems = problems_with(details, new=False)
    if problems:
        raise ValidationError(problems)
    _lock(registration.event)
    _apply(registration, details)
    db.session.commit()


def cancel(registration: Registration) -> None:
    """The participant cancels; a seat they held goes to the first on the waiting list."""
    if (reason := change_refused_reason(registration)) is not None:
        raise ValidationError({"form": reason})
    event = registration.event
    _lock(event)
    db.session.refresh(registration)
    if registration.status == RegistrationStatus.CANCELLED:
        db.session.rollback()
        return
    had_seat = registration.holds_seat
    _set_cancelled(registration)
    _mail_cancelled(registration, by_organiser=False, had_seat=had_seat)
    if had_seat:
        _promote(event)
    db.session.commit()


def withdraw(registration: Registration) -> None:
    """Cancel without mailing the person, whose data is about to be erased; a seat they held
    still goes to the waiting list. The caller commits."""
    event = registration.event
    _lock(event)
    db.session.refresh(registration)
    if not registration.is_active:
        return
    had_seat = registration.holds_seat
    _set_cancelled(registration)
    if had_seat:
        _promote(event)


def _set_cancelled(registration: Registration) -> None:
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = utcnow()


def _promote(event: Event) -> list[Registration]:
    """Give free seats to the waiting list in order; the caller holds the lock and commits."""
    if event.status != EventStatus.PUBLISHED or event.starts_at <= utcnow():
        return []
    db.session.flush()
    free = seats_left(event)
    query = (
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.waitlisted_at, Registration.id)
    )
    if free is not None:
        if free <= 0:
            return []
        query = query.limit(free)
    promoted = list(db.session.scalars(query))
    for registration in promoted:
        registration.status, registration.waitlisted_at = RegistrationStatus.CONFIRMED, None
        _mail_promoted(registration)
    return promoted


def promote_waitlist(event: Event) -> list[Registration]:
    """Confirm the first on the waiting list while there are free seats, and mail them."""
    _lock(event, refresh=True)
    promoted = _promote(event)
    db.session.commit()
    return promoted


# Organisers' hand changes. Mail goes out only while the event is ahead.

def confirm_by_organiser(registration: Registration, *, by: User) -> bool:
    """Give a person a seat, even beyond capacity; returns True when the event is now over capacity."""
    event = registration.event
    _lock(event)
    if registration.holds_seat:
        db.session.rollback()
        return False
    audit.record(by, "registration.confirmed", event=event, registration=registration.id)
    registration.status, registration.waitlisted_at, registration.cancelled_at = (
        RegistrationStatus.CONFIRMED, None, None,
    )
    if not event.has_ended:
        _mail_promoted(registration)
    db.session.flush()
    over = event.capacity is not None and seats_taken(event) > event.capacity
    db.session.commit()
    return over


def move_to_waitlist(registration: Registration, *, by: User) -> None:
    """Put a person last on the waiting list.

    The seat they free is not handed on automatically: the organiser moved them to
    choose who comes, and would otherwise see them promoted straight back.
    """
    event = registration.event
    _lock(event)
    if registration.status == RegistrationStatus.WAITLISTED:
        db.session.rollback()
        return
    had_seat = registration.holds_seat
    registration.status, registration.waitlisted_at, registration.cancelled_at = (
        RegistrationStatus.WAITLISTED, utcnow(), None,
    )
    audit.record(by, "registration.waitlisted", event=event, registration=registration.id)
    if not event.has_ended:
        _mail_waitlisted(registration, by_organiser=True, had_seat=had_seat)
    db.session.commit()


def cancel_by_organiser(registration: Registration, *, by: User) -> None:
    """Cancel a person's registration; a seat they held goes to the waiting list."""
    event = registration.event
    _lock(event)
    if registration.status == RegistrationStatus.CANCELLED:
        db.session.rollback()
        return
    had_seat = registration.holds_seat
    _set_cancelled(registration)
    audit.record(by, "registration.cancelled", event=event, registration=registration.id)
    if not event.has_ended:
        _mail_cancelled(registration, by_organiser=True, had_seat=had_seat)
    if had_seat:
        _promote(event)
    db.session.commit()


def check_in(registration: Registration, attended: bool, *, by: User | None) -> None:
    """Mark that a person came (or undo it) at the door."""
    _lock(registration.event)  # a seat may be taken or given back
    audit.record(
        by, "registration.checked_in" if attended else "registration.check_in_undone",
        event=registration.event, registration=registration.id,
    )
    if attended:
        registration.status, registration.checked_in_at = RegistrationStatus.ATTENDED, utcnow()
        registration.waitlisted_at = registration.cancelled_at = None
    elif registration.status == RegistrationStatus.ATTENDED:
        registration.status, registration.checked_in_at = RegistrationStatus.CONFIRMED, None
    db.session.commit()


def record_export(event: Event, *, by: User, rows: int) -> None:
    """Log that someone took the participant list out of the system."""
    audit.record(by, "participants.exported", event=event, rows=rows)
    db.session.commit()


def resend_link(registration: Registration) -> bool:
    """Mail the manage link again (someone registered twice from another browser).

    At most once per LINK_RESEND_INTERVAL, so nobody can flood an address with mail:
    the time is claimed with a conditional update, so of many identical submissions
    at once exactly one mails the link.
    """
    _lock(registration.event)
    now = utcnow()
    claimed = db.session.execute(
        update(Registration)
        .where(
            Registration.id == registration.id,
            or_(Registration.link_resent_at.is_(None), Registration.link_resent_at <= now - LINK_RESEND_INTERVAL),
        )
        .values(link_resent_at=now)
        # No page shows when a link was mailed, so kept pages stay current.
        .execution_options(synchronize_session=False, **{content_version.UNCHANGED: True})
    ).rowcount
    if not claimed:
        db.session.rollback()
        return False
    _send(registration, "registration_link", _l("Your registration: %(title)s", title=registration.event.title))
    db.session.commit()
    return True


# Changes to the event itself, called by services.events in the same transaction.

def event_cancelled(event: Event) -> None:
    """Tell everyone still registered that the event is cancelled, with a calendar cancellation."""
    for registration in _registrations(event, ACTIVE_STATUSES):
        _send(
            registration, "event_cancelled", _l("Cancelled: %(title)s", title=event.title),
            ics=_calendar_file(registration, cancel=True),
        )


def event_changed(event: Event, *, moved: bool) -> None:
    """After an organiser's edit: new time or place to those with a seat; free seats to the waiting list."""
    if event.status != EventStatus.PUBLISHED:
        return
    _lock(event)
    if moved and not event.has_ended:
        for registration in _registrations(event, (RegistrationStatus.CONFIRMED,)):
            _send(
                registration, "event_changed", _l("Changed: %(title)s", title=event.title),
                ics=_calendar_file(registration),
            )
    _promote(event)


def _registrations(event: Event, statuses) -> list[Registration]:
    return list(db.session.scalars(
        select(Registration).where(Registration.event_id == event.id, Registration.status.in_(statuses))
        .order_by(Registration.id)
    ))


def send_due_reminders(now: datetime | None = None) -> int:
    """Remind confirmed participants `reminder_days` before their event, once each.

    People who registered after the reminder would have gone out are not reminded:
    their confirmation is fresh. Safe with several workers: each reminder is claimed
    with a conditional update before it is queued.
    """
    now = now or utcnow()
    due_from = _reminder_times(now)
    if not due_from:
        return 0
    candidates = db.session.execute(
        select(Registration.id, Registration.event_id, Registration.created_at)
        .where(
            Registration.event_id.in_(due_from),
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.reminder_sent_at.is_(None),
        )
        .order_by(Registration.id)
    ).all()
    sent = 0
    for registration_id, event_id, created_at in candidates:
        if created_at >= due_from[event_id]:
            continue
        try:
            _lock_event_id(event_id)
        except OperationalError as error:
            if timeouts.ran_out(error) is None:
                raise
            db.session.rollback()  # the event is held just now: its reminder goes next round
            continue
        claimed = db.session.execute(
            update(Registration)
            .where(Registration.id == registration_id, Registration.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            registration = db.session.get(Registration, registration_id)
            _send(
                registration, "registration_reminder",
                _l("Reminder: %(title)s", title=registration.event.title), ics=_calendar_file(registration),
            )
            sent += 1
        db.session.commit()
    return sent


def _reminder_times(now: datetime) -> dict[int, datetime]:
    """The upcoming events whose reminders are due now, with the time they fell due.

    Each event's own `reminder_days` is applied here, to the few events of the next
    weeks, so that only the registrations of those whose time has come are read, not
    those of every event in the coming month.
    """
    events = db.session.execute(
        select(Event.id, Event.starts_at, Event.reminder_days).where(
            Event.status == EventStatus.PUBLISHED,
            Event.reminder_days > 0,
            Event.starts_at > now,
            Event.starts_at <= now + timedelta(days=MAX_REMINDER_DAYS),
        )
    ).all()
    due_from = {event_id: starts_at - timedelta(days=days) for event_id, starts_at, days in events}
    return {event_id: due for event_id, due in due_from.items() if due <= now}


# Mail

def _calendar_file(registration: Registration, *, cancel: bool = False) -> mail.Attachment:
    with mail.links_context():
        data = invitation_ics(registration.event, registration.email, registration.name, cancel=cancel)
    return mail.ics_attachment(data, method="CANCEL" if cancel else "REQUEST")


def _prepare(registration: Registration, template: str, subject, *, ics: mail.Attachment | None = None,
             **context) -> OutboxMessage:
    return mail.prepare(
        registration.email, template, locale=registration.locale, subject=subject,
        to_name=registration.name, event=registration.event, registration=registration,
        attachments=[ics] if ics else [], **context,
    )


def _send(registration: Registration, template: str, subject, *, ics: mail.Attachment | None = None, **context):
    db.session.add(_prepare(registration, template, subject, ics=ics, **context))


def _confirmed_mail(registration: Registration) -> OutboxMessage:
    return _prepare(
        registration, "registration_confirmed",
        _l("Registration confirmed: %(title)s", title=registration.event.title), ics=_calendar_file(registration),
    )


def _waitlisted_mail(registration: Registration, *, by_organiser: bool = False, had_seat: bool = False
                     ) -> OutboxMessage:
    return _prepare(
        registration, "registration_waitlisted",
        _l("You are on the waiting list: %(title)s", title=registration.event.title),
        ics=_calendar_file(registration, cancel=True) if had_seat else None, by_organiser=by_organiser,
    )


def _mail_waitlisted(registration: Registration, *, by_organiser: bool = False, had_seat: bool = False) -> None:
    db.session.add(_waitlisted_mail(registration, by_organiser=by_organiser, had_seat=had_seat))


def _mail_promoted(registration: Registration) -> None:
    _send(
        registration, "registration_promoted",
        _l("You have a seat: %(title)s", title=registration.event.title), ics=_calendar_file(registration),
    )


def _mail_cancelled(registration: Registration, *, by_organiser: bool, had_seat: bool) -> None:
    _send(
        registration, "registration_cancelled",
        _l("Registration cancelled: %(title)s", title=registration.event.title),
        ics=_calendar_file(registration, cancel=True) if had_seat else None, by_organiser=by_organiser,
    )


# The organiser's participant list

LIST_ORDER = {
    RegistrationStatus.CONFIRMED: 0, RegistrationStatus.ATTENDED: 0,
    RegistrationStatus.WAITLISTED: 1, RegistrationStatus.CANCELLED: 2,
}

def participants_query(event: Event, *, search: str = "", status: RegistrationStatus | None = None,
                       sector: Sector | None = None):
    """An event's registrations for the organiser: confirmed first, then the waiting list in order."""
    query = select(Registration).where(Registration.event_id == event.id)
    if search:
        pattern = "%" + search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(
            func.lower(Registration.name).like(pattern, escape="\\"),
            func.lower(Registration.email).like(pattern, escape="\\"),
            func.lower(Registration.organisation).like(pattern, escape="\\"),
        ))
    if status is not None:
        query = query.where(Registration.status == status)
    if sector is not None:
        query = query.where(Registration.sector == sector)
    return query.order_by(
        case(LIST_ORDER, value=Registration.status, else_=len(LIST_ORDER)),
        Registration.waitlisted_at, func.lower(Registration.name), Registration.id,
    )
