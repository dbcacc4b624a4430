"""Changes after registering: by the participant (change, cancel), by the organiser (a seat,
the waiting list, a cancellation, check-in), and the waiting list moving up."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from app.cache import content_version
from app.extensions import db
from app.models import Event, EventStatus, Registration, RegistrationStatus, User
from app.models.types import utcnow
from app.services import ValidationError, audit
from app.services.questions import answers_locked, save_answers
from app.services.registrations.notices import mail_cancelled, mail_promoted, mail_waitlisted, send
from app.services.registrations.rules import RegistrationDetails, apply, change_refused_reason, problems_with
from app.services.registrations.seats import lock, seats_left, seats_taken
from app.services.registrations.sessions import give_up_seats  # parallel sessions (issue 16)
from app.services.registrations.sessions import promote as promote_sessions  # issue 16

# How often anyone can make us mail a registration's link again (by registering twice).
LINK_RESEND_INTERVAL = timedelta(minutes=10)


def change(registration: Registration, details: RegistrationDetails) -> None:
    """Save a participant's changes to their own registration (not the address)."""
    if (reason := change_refused_reason(registration)) is not None:
        raise ValidationError({"form": reason})
    problems = problems_with(details, new=False)
    if problems:
        raise ValidationError(problems)
    lock(registration.event)
    apply(registration, details)
    if details.answers is not None and not answers_locked(registration.event):
        save_answers(registration, details.answers)
    db.session.commit()


def cancel(registration: Registration) -> None:
    """The participant cancels; a seat they held goes to the first on the waiting list."""
    if (reason := change_refused_reason(registration)) is not None:
        raise ValidationError({"form": reason})
    event = registration.event
    lock(event)
    db.session.refresh(registration)
    if registration.status == RegistrationStatus.CANCELLED:
        db.session.rollback()
        return
    had_seat = registration.holds_seat
    _set_cancelled(registration)
    mail_cancelled(registration, by_organiser=False, had_seat=had_seat)
    if had_seat:
        promote(event)
    db.session.commit()


def withdraw(registration: Registration) -> None:
    """Cancel without mailing the person, whose data is about to be erased; a seat they held
    still goes to the waiting list. The caller commits."""
    event = registration.event
    lock(event)
    db.session.refresh(registration)
    if not registration.is_active:
        return
    had_seat = registration.holds_seat
    _set_cancelled(registration)
    if had_seat:
        promote(event)


def _set_cancelled(registration: Registration) -> None:
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = utcnow()


def promote(event: Event) -> list[Registration]:
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
        query = query.limit(max(free, 0))
    promoted = list(db.session.scalars(query)) if free is None or free > 0 else []
    for registration in promoted:
        registration.status, registration.waitlisted_at = RegistrationStatus.CONFIRMED, None
        mail_promoted(registration)
    # Parallel sessions (issue 16): seats the leaver held, and the newly seated's places.
    promote_sessions(event)
    return promoted


def promote_waitlist(event: Event) -> list[Registration]:
    """Confirm the first on the waiting list while there are free seats, and mail them."""
    lock(event, refresh=True)
    promoted = promote(event)
    db.session.commit()
    return promoted


# Organisers' hand changes. Mail goes out only while the event is ahead.


def confirm_by_organiser(registration: Registration, *, by: User) -> bool:
    """Give a person a seat, even beyond capacity; returns True when the event is now over capacity."""
    event = registration.event
    lock(event)
    if registration.holds_seat:
        db.session.rollback()
        return False
    audit.record(by, "registration.confirmed", event=event, registration=registration.id)
    registration.status, registration.waitlisted_at, registration.cancelled_at = (
        RegistrationStatus.CONFIRMED,
        None,
        None,
    )
    if not event.has_ended:
        mail_promoted(registration)
    db.session.flush()
    promote_sessions(event)  # their places in parallel sessions (issue 16)
    over = event.capacity is not None and seats_taken(event) > event.capacity
    db.session.commit()
    return over


def move_to_waitlist(registration: Registration, *, by: User) -> None:
    """Put a person last on the waiting list.

    The seat they free is not handed on automatically: the organiser moved them to
    choose who comes, and would otherwise see them promoted straight back.
    """
    event = registration.event
    lock(event)
    if registration.status == RegistrationStatus.WAITLISTED:
        db.session.rollback()
        return
    had_seat = registration.holds_seat
    registration.status, registration.waitlisted_at, registration.cancelled_at = (
        RegistrationStatus.WAITLISTED,
        utcnow(),
        None,
    )
    audit.record(by, "registration.waitlisted", event=event, registration=registration.id)
    if had_seat:
        give_up_seats(registration)  # parallel sessions (issue 16)
    if not event.has_ended:
        mail_waitlisted(registration, by_organiser=True, had_seat=had_seat)
    db.session.commit()


def cancel_by_organiser(registration: Registration, *, by: User) -> None:
    """Cancel a person's registration; a seat they held goes to the waiting list."""
    event = registration.event
    lock(event)
    if registration.status == RegistrationStatus.CANCELLED:
        db.session.rollback()
        return
    had_seat = registration.holds_seat
    _set_cancelled(registration)
    audit.record(by, "registration.cancelled", event=event, registration=registration.id)
    if not event.has_ended:
        mail_cancelled(registration, by_organiser=True, had_seat=had_seat)
    if had_seat:
        promote(event)
    db.session.commit()


def check_in(registration: Registration, attended: bool, *, by: User | None) -> None:
    """Mark that a person came (or undo it) at the door."""
    lock(registration.event)  # a seat may be taken or given back
    audit.record(
        by,
        "registration.checked_in" if attended else "registration.check_in_undone",
        event=registration.event,
        registration=registration.id,
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
    lock(registration.event)
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
    send(registration, "registration_link", _l("Your registration: %(title)s", title=registration.event.title))
    db.session.commit()
    return True
