"""Registrations: signing up, the waiting list, changes, cancellations, check-in and
the mail that goes with each, queued in the same transaction as the change.

rules          what a registration holds, and when registering or changing is possible
seats          seats counted under the event's lock (the lock order is written there)
signup         registering for an event
changes        changes by the participant and the organiser; the waiting list moving up
event_mail     what follows a change to the event itself, and the reminders before it
notices        the mail a registration gets
participants   the organiser's participant list
participant_csv  that list as CSV for Excel
sessions       parallel sessions: choices per slot, each session's seats under the lock
session_changes  changing choices, moving people, setting up slots
session_lists  the organiser's per-session lists, CSV and door lists
session_notices  the mail when a place in a session frees up
"""

from app.services.registrations.changes import (
    LINK_RESEND_INTERVAL,
    cancel,
    cancel_by_organiser,
    change,
    check_in,
    confirm_by_organiser,
    move_to_waitlist,
    promote_waitlist,
    record_export,
    resend_link,
    withdraw,
)
from app.services.registrations.event_mail import MAX_REMINDER_DAYS, event_cancelled, event_changed, send_due_reminders
from app.services.registrations.participants import (
    LIST_ORDER,
    at_the_door,
    participants,
    participants_query,
    waiting_count,
)
from app.services.registrations.rules import (
    CONTROL_CHARACTERS,
    LIMITS,
    SINGLE_LINE,
    RegistrationClosed,
    RegistrationDetails,
    change_refused_reason,
    closed_reason,
    problems_with,
)
from app.services.registrations.seats import (
    LOCK_BUDGET,
    SeatState,
    free_seats,
    seats_left,
    seats_left_by_event,
    seats_left_of,
    seats_taken,
    seats_taken_expression,
    status_counts,
)
from app.services.registrations.signup import Outcome, confirm_keep_informed, find, find_by_token, register

__all__ = [
    "CONTROL_CHARACTERS",
    "LIMITS",
    "LINK_RESEND_INTERVAL",
    "LIST_ORDER",
    "LOCK_BUDGET",
    "MAX_REMINDER_DAYS",
    "Outcome",
    "RegistrationClosed",
    "RegistrationDetails",
    "SINGLE_LINE",
    "SeatState",
    "cancel",
    "cancel_by_organiser",
    "change",
    "change_refused_reason",
    "check_in",
    "closed_reason",
    "confirm_by_organiser",
    "confirm_keep_informed",
    "event_cancelled",
    "event_changed",
    "find",
    "find_by_token",
    "move_to_waitlist",
    "participants_query",
    "participants",
    "at_the_door",
    "waiting_count",
    "problems_with",
    "promote_waitlist",
    "record_export",
    "register",
    "resend_link",
    "free_seats",
    "seats_left",
    "seats_left_by_event",
    "seats_left_of",
    "seats_taken_expression",
    "seats_taken",
    "send_due_reminders",
    "status_counts",
    "withdraw",
]
