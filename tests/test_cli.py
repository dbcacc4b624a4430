import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Contact,
    Event,
    EventStatus,
    Invitation,
    OutboxMessage,
    RegionContact,
    RegionStepRecord,
    Registration,
    RegistrationStatus,
    Role,
    Sector,
    User,
    VisitRequest,
    VisitStatus,
)
from app.models.types import utcnow
from app.services import registrations
from tests.conftest import local


def test_create_user(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Ny@Example.se",
            "--name",
            "Ny Arrangör",
            "--role",
            "admin",
            "--region",
            "05",
            "--password",
            "ett långt lösenord",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "ny@example.se"))
    assert user.role == Role.ADMIN and user.region.code == "05"
    assert user.check_password("ett långt lösenord")


def test_create_user_refuses_bad_input(runner):
    result = runner.invoke(args=["create-user", "--email", "not-an-address", "--name", "X", "--password", "short"])
    assert result.exit_code != 0
    assert "email" in result.output.lower() or "e-post" in result.output.lower()
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "a@example.se",
            "--name",
            "X",
            "--region",
            "99",
            "--password",
            "ett långt lösenord",
        ]
    )
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_demo_data_loads_the_article_and_upcoming_events_once(runner):
    result = runner.invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "arrangor@example.com" in result.output
    linkoping = db.session.scalar(select(Event).where(Event.title.like("Inspirationsdag om validering i Östergötland")))
    assert linkoping.venue_name == "Missionskyrkan" and linkoping.region.code == "05"
    published_upcoming = db.session.scalars(select(Event).where(Event.status == EventStatus.PUBLISHED)).all()
    assert len(published_upcoming) >= 3
    assert db.session.scalar(select(func.count()).select_from(RegionStepRecord)) > 0
    attended = db.session.scalars(
        select(Registration).where(
            Registration.event_id == linkoping.id, Registration.status == RegistrationStatus.ATTENDED
        )
    ).all()
    assert 95 <= len(attended) <= 110
    assert {r.municipality for r in attended} >= {"Linköping", "Norrköping", "Motala", "Mjölby", "Finspång"}
    assert len({r.sector for r in attended}) >= len(Sector) - 2
    workshop = db.session.scalar(select(Event).where(Event.title == "Workshop: validering i praktiken"))
    assert registrations.status_counts(workshop)[RegistrationStatus.WAITLISTED] > 0
    assert registrations.seats_left(workshop) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0  # demo people get no mail
    contacts = db.session.scalars(select(RegionContact)).all()
    assert {c.region.code for c in contacts} == {"20", "21", "12", "18", "14"}
    assert all(c.role == "Regional strateg" and c.email.endswith("@example.com") for c in contacts)
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


def test_demo_data_refuses_to_load_twice_unless_told(runner):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    count = db.session.scalar(select(func.count()).select_from(Event))

    again = runner.invoke(args=["demo-data"])
    assert again.exit_code == 1
    assert "already has events" in again.output and "--if-empty" in again.output and "--force" in again.output
    assert db.session.scalar(select(func.count()).select_from(Event)) == count

    skipped = runner.invoke(args=["demo-data", "--if-empty"])
    assert skipped.exit_code == 0 and "not loaded" in skipped.output
    assert db.session.scalar(select(func.count()).select_from(Event)) == count

    forced = runner.invoke(args=["demo-data", "--force"])
    assert forced.exit_code == 0, forced.output
    assert db.session.scalar(select(func.count()).select_from(Event)) == 2 * count


def test_demo_data_refuses_even_when_the_events_are_not_the_demo_ones(runner, make_event):
    make_event(title="Our own event")
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 1 and "already has events" in result.output
    assert db.session.scalar(select(func.count()).select_from(Event)) == 1


def _start_scheduler(database_url: str, errors: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url}
    with errors.open("wb") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "tests.scaling_app", "scheduler", "--every", "3600"],
            cwd=Path(__file__).resolve().parents[1],
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )


def _stop(process: subprocess.Popen) -> float:
    """SIGTERM, as `docker compose stop` sends it to PID 1; returns the seconds it took to end."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        process.communicate(timeout=8)
    finally:
        process.kill()
    return time.monotonic() - started


def test_scheduler_runs_the_purge_at_once_and_stops_on_sigterm_while_it_waits(app, make_event, tmp_path):
    old = make_event(starts_at=local(2019, 1, 31, 9), ends_at=local(2019, 1, 31, 16), retention_months=12)
    db.session.add(
        Registration(
            event=old,
            name="Ola",
            email="ola@example.se",
            sector="municipality",
            consent_at=utcnow(),
            privacy_notice_version="1",
            status=RegistrationStatus.ATTENDED,
        )
    )
    db.session.commit()

    scheduler = _start_scheduler(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "errors.log")
    line = scheduler.stdout.readline().decode()  # the first run, then an hour's wait
    assert "Erased 1 registrations" in line, (tmp_path / "errors.log").read_text()
    took = _stop(scheduler)
    assert scheduler.returncode == 0, (tmp_path / "errors.log").read_text()
    assert took < 5  # not the 10 s grace period after which compose kills it
    db.session.expire_all()
    assert db.session.scalar(select(Registration.erased_at).where(Registration.event_id == old.id)) is not None


def test_scheduler_logs_a_failed_run_with_its_traceback_and_keeps_going(tmp_path):
    log = tmp_path / "errors.log"
    scheduler = _start_scheduler(f"sqlite:///{tmp_path / 'no-such-folder' / 'samverkan.db'}", log)
    deadline = time.monotonic() + 20
    while "OperationalError" not in log.read_text() and scheduler.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)  # it would have ended by now, had the failure ended it
    assert scheduler.poll() is None, "a failed run must not end the scheduler: " + log.read_text()
    took = _stop(scheduler)
    errors = log.read_text()
    assert "The daily purge of personal data failed" in errors and "Traceback" in errors, errors
    assert scheduler.returncode == 0 and took < 5
