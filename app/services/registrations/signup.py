"""Registering for an event, and finding a registration again."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import bindparam, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Event, OutboxMessage, Registration, RegistrationStatus
from app.models.tokens import looks_like_token, new_token
from app.models.types import utcnow
from app.services import ValidationError, mail
from app.services.questions import checked_pairs, save_answers
from app.services.registrations.notices import confirmed_mail, waitlisted_mail
from app.services.registrations.rules import (
    RegistrationClosed,
    RegistrationDetails,
    apply,
    ask_to_keep_informed,
    closed_reason,
    problems_with,
)
from app.services.registrations.seats import gets_seat, lock_while_it_moves, seat_state
from app.services.registrations.sessions import Choices, likely_seats, slots_of, take_seats  # parallel sessions
from app.services.registrations.sessions import problems_with as session_problems
from app.services.text import normalise_email


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


def find(event: Event, email: str) -> Registration | None:
    return db.session.scalar(select(Registration).where(Registration.event_id == event.id, Registration.email == email))


@cache
def _by_token():
    """Built once: a statement's options and cache key cost more to make than to run."""
    return (
        select(Registration)
        .options(joinedload(Registration.event))
        .where(Registration.manage_token == bindparam("token"))
    )


def find_by_token(token: str) -> Registration | None:
    """The registration a manage link opens, with its event in the same query; None for
    anything that is not exactly its token."""
    if not looks_like_token(token):
        return None
    return db.session.scalar(_by_token(), {"token": token})


def register(
    event: Event,
    details: RegistrationDetails,
    *,
    locale: str,
    invitation=None,
    on_created: Callable[[Registration], None] | None = None,
    choices: Choices | None = None,
    slots: list | None = None,
) -> Outcome:
    """Register a person: a seat when one is free, else the waiting list; mail either way.

    An address already registered for the event gets its existing registration back
    (`created` False) and nothing new is made. A cancelled registration is taken up again.
    Raises ValidationError for bad input and RegistrationClosed when registration is not open.
    `on_created(registration)` runs in the same transaction when a registration is made (the
    invitation it came through records it).

    The event's lock is held for the seat decision only: a newcomer's registration, answers
    and mail are written before it, for the outcome the seats now suggest (the status and
    mail are changed in the rare case the decision differs), so a burst for the last seats,
    which goes through the lock one at a time, goes through it fast. An address registered
    before (a cancelled registration taken up again) takes the lock first, as every change
    of an existing registration does (seats.py).

    `choices` (slot id -> session id or None) are the parallel sessions chosen; their
    seats are decided under the same lock, after the event's seat (sessions.py); `slots`, the
    event's slots as `slots_of(event, speakers=False)` gives them, when the caller has them
    already (the form was built with them), so they are not read twice.
    """
    if invitation is not None:
        details = replace(details, email=invitation.email)  # locked to the invited address
    problems = problems_with(details, new=True)
    if choices is None:  # parallel sessions (issue 16)
        slots = []
    elif slots is None:
        slots = slots_of(event, speakers=False)
    if choices is not None:
        problems |= session_problems(slots, choices)
    if problems:
        raise ValidationError(problems)
    email = normalise_email(details.email)
    if (reason := closed_reason(event, invitation=invitation)) is not None:
        raise RegistrationClosed(reason)
    draft = Registration(event=event, email=email, manage_token=new_token(), locale=locale)
    apply(draft, details)
    ask_to_keep_informed(draft, details.keep_informed, confirmed=invitation is not None)
    before = seat_state(event, email)
    likely_seated = gets_seat(event, before)
    likely_sessions = likely_seats(event, slots, choices) if choices and likely_seated else []
    with force_locale(locale):
        answers = checked_pairs(details.answers, locale) if details.answers else []
    message = _registration_mail(draft, seated=likely_seated, sessions=likely_sessions, answers=answers)
    written_for = event.sequence  # raised when the time or place changes (events.save_changes)

    def write(registration: Registration, *, new: bool) -> None:
        """The registration's rows as the seats now suggest, its answers and its mail."""
        _decide(registration, seated=likely_seated)
        if new:
            db.session.add(registration)
        if details.answers is not None:
            save_answers(registration, details.answers, new=new)
        message.registration = registration
        mail.queue(message)

    if before.registration_id is None:
        # A newcomer: their rows are written before the lock (seats.py allows it), which is
        # then held for the seat decision alone.
        registration = draft
        write(registration, new=True)
        try:
            db.session.flush()
        except IntegrityError:
            # The same address registered in another request a moment ago (a double click).
            db.session.rollback()
            existing = find(event, email)
            if existing is None:
                raise
            return Outcome(existing, created=False)
        lock_while_it_moves(event, before, email=email, besides=registration.id)
        state = seat_state(event, email, besides=registration.id)
    else:
        # Registered before: the lock first, as for every change of an existing registration.
        lock_while_it_moves(event, before, email=email)
        state = seat_state(event, email)
        existing = (
            db.session.get(Registration, state.registration_id, populate_existing=True)
            if state.registration_id
            else None
        )
        if existing is not None and existing.is_active:
            db.session.rollback()
            return Outcome(existing, created=False)
        if existing is not None:
            # A cancelled registration taken up again, perhaps by someone else typing the
            # address: a new link, so the old one (in the earlier mails) opens nothing.
            registration = existing
            apply(registration, details)
            registration.manage_token, registration.locale = draft.manage_token, locale
            registration.keep_informed_at = draft.keep_informed_at
            registration.keep_informed_confirmed_at = draft.keep_informed_confirmed_at
        else:
            registration = draft  # erased meanwhile: a newcomer after all, written under the lock
        write(registration, new=registration is draft)
    # The event may have been cancelled or closed while we waited for the lock.
    if (reason := closed_reason(event, invitation=invitation)) is not None:
        db.session.rollback()
        raise RegistrationClosed(reason)

    seated = gets_seat(event, state)
    if seated != likely_seated:
        _decide(registration, seated=seated)
    # Parallel sessions (issue 16): their seats, and the mail that lists them.
    seated_sessions = take_seats(registration, choices, new=registration is draft) if choices else []
    if on_created is not None:
        on_created(registration)
    # Written for the likely outcome; again only in the rare case the decision differs, or
    # the event moved while this registration waited for the lock (its mail and calendar
    # file must give the new time or place: the change's own mail went to those seated then).
    decided_otherwise = seated != likely_seated or [i.id for i in seated_sessions] != [i.id for i in likely_sessions]
    if decided_otherwise or event.sequence != written_for:
        _unqueue(message)
        message = _registration_mail(registration, seated=seated, sessions=seated_sessions, answers=answers)
        message.registration = registration
        mail.queue(message)
    outcome = Outcome(registration, created=True)
    db.session.commit()
    return outcome


def _decide(registration: Registration, *, seated: bool) -> None:
    """The registration's status and consent, as of now: a seat, or the waiting list."""
    now = utcnow()
    registration.consent_at = now
    registration.privacy_notice_version = current_app.config["PRIVACY_NOTICE_VERSION"]
    registration.cancelled_at = None
    registration.created_at = now
    if seated:
        registration.status, registration.waitlisted_at = RegistrationStatus.CONFIRMED, None
    else:
        registration.status, registration.waitlisted_at = RegistrationStatus.WAITLISTED, now


def _unqueue(message: OutboxMessage) -> None:
    """Take back a message queued in this transaction, written already or not."""
    if inspect(message).persistent:
        db.session.delete(message)
    elif message in db.session:
        db.session.expunge(message)


def _registration_mail(registration: Registration, *, seated: bool, sessions=(), answers=()) -> OutboxMessage:
    """The confirmation or waiting-list mail of a new registration, not yet queued; `answers`
    (question, answer) repeats what the person answered to the event's own questions."""
    with mail.links_context():  # one for the mail and its calendar file
        if seated:
            return confirmed_mail(registration, sessions=sessions, answers=answers)
        return waitlisted_mail(registration, answers=answers)


def confirm_keep_informed(registration: Registration, wanted: bool) -> None:
    """The answer, from the registration's own page, to "keep me informed about future events?"."""
    ask_to_keep_informed(registration, wanted, confirmed=True)
    db.session.commit()
