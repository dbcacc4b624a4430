from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Contact, Event, EventStatus, Invitation, OutboxMessage, RegionContact, RegionStepRecord, Registration,
    RegistrationStatus, Role, Sector, User, VisitRequest, VisitStatus,
)
from app.services import registrations


def test_create_user(runner):
    result = runner.invoke(
        args=["create-user", "--email", "Ny@Example.se", "--name", "Ny Arrangör", "--role", "admin",
              "--region", "05", "--password", "ett långt lösenord"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "ny@example.se"))
    assert user.role == Role.ADMIN and user.region.code == "05"
    assert user.check_password("ett långt lösenord")


def test_create_user_refuses_bad_input(runner):
    result = runner.invoke(args=["create-user", "--email", "not-an-address", "--name", "X", "--password", "short"])
    assert result.exit_code != 0
    assert "email" in result.output.lower() or "e-post" in result.output.lower()
    result = runner.invoke(args=["create-user", "--email", "a@example.se", "--name", "X", "--region", "99",
                                 "--password", "ett långt lösenord"])
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_demo_data_loads_the_article_and_upcoming_events_once(runner):
    result = runner.invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "arrangor@example.se" in result.output
    linkoping = db.session.scalar(select(Event).where(Event.title.like("Inspirationsdag om validering i Östergötland")))
    assert linkoping.venue_name == "Missionskyrkan" and linkoping.region.code == "05"
    published_upcoming = db.session.scalars(select(Event).where(Event.status == EventStatus.PUBLISHED)).all()
    assert len(published_upcoming) >= 3
    assert db.session.scalar(select(func.count()).select_from(RegionStepRecord)) > 0
    attended = db.session.scalars(select(Registration).where(
        Registration.event_id == linkoping.id, Registration.status == RegistrationStatus.ATTENDED)).all()
    assert 95 <= len(attended) <= 110
    assert {r.municipality for r in attended} >= {"Linköping", "Norrköping", "Motala", "Mjölby", "Finspång"}
    assert len({r.sector for r in attended}) >= len(Sector) - 2
    workshop = db.session.scalar(select(Event).where(Event.title == "Workshop: validering i praktiken"))
    assert registrations.status_counts(workshop)[RegistrationStatus.WAITLISTED] > 0
    assert registrations.seats_left(workshop) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) > 0  # on the Sent mail page
    contacts = db.session.scalars(select(RegionContact)).all()
    assert {c.region.code for c in contacts} == {"20", "21", "12", "18", "14"}
    assert all(c.role == "Regional strateg" and c.email.endswith("@example.se") for c in contacts)
    requests = {v.region.code: v for v in db.session.scalars(select(VisitRequest))}
    assert requests["07"].status == VisitStatus.NEW and requests["09"].status == VisitStatus.DECLINED
    assert requests["08"].status == VisitStatus.SCHEDULED and requests["08"].event.region.code == "08"
    assert db.session.scalar(select(func.count()).select_from(Contact).where(Contact.region.has(code="05"))) == 12
    norrbotten = db.session.scalar(select(Event).where(Event.title.like("%Norrbotten")))
    states = {i.status.value for i in db.session.scalars(select(Invitation).where(Invitation.event == norrbotten))}
    assert states == {"sent", "opened", "declined", "registered"}
    count = db.session.scalar(select(func.count()).select_from(Event))

    again = runner.invoke(args=["demo-data", "--if-empty"])
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Event)) == count
