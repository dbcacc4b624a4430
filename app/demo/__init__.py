"""Demo data for `flask demo-data` and `make run`: the events of the article in shared/seed
and a few upcoming ones, with agendas, participants, feedback, regions' history, visit
requests, an address book and invitations.

Every address is at a reserved domain (RFC 2606: example.com), and loading queues no mail at
all, not even kept unsent: the demo's people are made up, and an install with a mail server
must not write to them."""

from datetime import date

from sqlalchemy import select

from app.demo.events import add_events
from app.demo.feedback import add_demo_feedback
from app.demo.parallel_sessions import add_conference_with_sessions
from app.demo.people import (
    DEMO_ADMIN,
    DEMO_ORGANISER,
    add_address_book_and_invitations,
    add_past_registrations,
    add_upcoming_registrations,
    ensure_user,
)
from app.demo.questions import add_questions
from app.demo.regions import add_region_history, visit_requests
from app.extensions import db
from app.models import Region, Role
from app.services import mail

__all__ = ["DEMO_ADMIN", "DEMO_ORGANISER", "load_demo_data"]


def load_demo_data(today: date | None = None) -> int:
    """Add the demo accounts, events with their agendas and registrations, step history, reference
    group contacts and visit requests; returns the number of events added. Queues no mail."""
    with mail.nothing_queued():
        return _load(today or date.today())


def _load(today: date) -> int:
    organiser = ensure_user(DEMO_ORGANISER, Role.ORGANISER)
    ensure_user(DEMO_ADMIN, Role.ADMIN)
    regions = {region.code: region for region in db.session.scalars(select(Region))}
    added = add_events(organiser, regions, today)
    add_region_history(regions)
    db.session.flush()
    by_title = {event.title: event for event in added}
    add_past_registrations(by_title["Inspirationsdag om validering i Östergötland"])
    db.session.flush()
    add_demo_feedback(added)  # after the registrations, so Linköping's survey uses its participants
    db.session.add_all(
        visit_requests(today, regions, organiser, by_title["Inspirationsdag om validering i Kalmar län"])
    )
    db.session.commit()
    add_upcoming_registrations(by_title)
    add_questions(by_title["Nationell konferens: Validering i hela landet"])
    add_address_book_and_invitations(organiser, by_title["Uppstartskonferens om validering i Norrbotten"])
    # Issue 16: the national conference with parallel sessions asks its own questions too.
    add_questions(add_conference_with_sessions(organiser, today))
    return len(added) + 1
