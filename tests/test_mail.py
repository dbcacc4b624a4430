"""The outbox: mail is stored with the change that caused it, delivered through a real
SMTP server on loopback, retried when the server is down, and never sent twice."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.cli import DUE_MAIL_CHECK_EVERY, Every, worker_round
from app.extensions import db
from app.models import OutboxMessage, OutboxStatus
from app.models.types import utcnow
from app.services import mail, registrations
from app.services.mail import worker
from tests.conftest import require_postgres
from tests.mailserver import attachments, html_part, text_part

SUBJECT = _l("Test message from Samverkan")


def queue(to="anna@example.se", locale="sv", **kwargs) -> OutboxMessage:
    message = mail.enqueue(
        to, "test", locale=locale, subject=SUBJECT, to_name=kwargs.pop("to_name", "Anna Andersson"), **kwargs
    )
    db.session.commit()
    return message


def all_messages() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_enqueue_renders_in_the_recipients_language_and_leaves_the_commit_to_the_caller(app):
    swedish = mail.enqueue("a@example.se", "test", locale="sv", subject=SUBJECT)
    english = mail.enqueue("b@example.se", "test", locale="en", subject=SUBJECT)
    assert swedish.subject == "Testmeddelande från Samverkan"
    assert "fungerar utgående e-post" in swedish.body_text
    assert english.subject == "Test message from Samverkan"
    assert "outgoing mail works" in english.body_text and '<html lang="en">' in english.body_html
    assert "http://localhost/" in english.body_text  # links go to BASE_URL
    db.session.rollback()  # the caller's change failed: its mail goes with it
    assert all_messages() == []


def test_enqueue_inside_a_request_keeps_the_requests_language(client, app):
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        from flask_babel import get_locale, gettext

        assert str(get_locale()) == "en"
        message = mail.enqueue("a@example.se", "test", locale="sv", subject=SUBJECT)
        assert message.subject == "Testmeddelande från Samverkan"
        assert gettext("Events") == "Events"
        db.session.rollback()


def test_without_a_mail_server_mail_is_kept_for_the_sent_mail_page(app):
    message = queue()
    assert message.status == OutboxStatus.KEPT
    report = mail.deliver_due()
    assert report.sent == 0
    assert all_messages()[0].status == OutboxStatus.KEPT


def test_delivery_sends_text_html_and_attachments_and_marks_sent(mail_server):
    message = queue(attachments=[mail.ics_attachment(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")], to_name="Åsa Öberg")
    assert message.status == OutboxStatus.QUEUED

    report = mail.deliver_due()

    assert report.sent == 1
    [received] = mail_server.messages
    assert received["To"].addresses[0].display_name == "Åsa Öberg"
    assert received["To"].addresses[0].addr_spec == "anna@example.se"
    assert received["From"].addresses[0].addr_spec == "noreply@samverkan.localhost"
    assert received["Subject"] == "Testmeddelande från Samverkan"
    assert received["Message-ID"] == message.message_id
    assert "fungerar utgående e-post" in text_part(received)
    assert "fungerar utgående e-post" in html_part(received)
    ics = attachments(received)["event.ics"]
    assert ics.get_content_type() == "text/calendar" and ics.get_param("method") == "REQUEST"
    assert ics.get_payload(decode=True) == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    [stored] = all_messages()
    assert stored.status == OutboxStatus.SENT and stored.sent_at is not None and stored.attempts == 1
    assert mail.deliver_due().handled == 0  # nothing is sent twice


def test_a_server_that_goes_down_loses_nothing_and_mail_goes_out_when_it_is_back(mail_server):
    for n in range(3):
        queue(to=f"person{n}@example.se")
    assert mail.deliver_due(batch=1).sent == 1

    mail_server.stop()
    now = utcnow()
    report = mail.deliver_due(now=now)
    assert (report.sent, report.retrying, report.failed) == (0, 2, 0)
    waiting = [m for m in all_messages() if m.status == OutboxStatus.QUEUED]
    assert len(waiting) == 2
    assert all(m.attempts == 1 and m.next_attempt_at > now and m.last_error for m in waiting)
    assert mail.deliver_due(now=now).handled == 0  # not due before the backoff has passed

    mail_server.start()
    report = mail.deliver_due(now=now + timedelta(minutes=2))
    assert report.sent == 2
    assert sorted(m["To"].addresses[0].addr_spec for m in mail_server.messages) == [
        "person0@example.se",
        "person1@example.se",
        "person2@example.se",
    ]
    assert {m.status for m in all_messages()} == {OutboxStatus.SENT}


def test_a_line_break_in_a_name_cannot_add_headers_or_recipients(mail_server):
    message = queue(to="anna@example.se")
    message.recipient_name = "Evil\r\nBcc: everyone@example.se"
    db.session.commit()
    assert mail.deliver_due().sent == 1
    [(recipients, received)] = mail_server.received
    assert recipients == ["anna@example.se"]
    assert received["Bcc"] is None and received["To"].addresses[0].addr_spec == "anna@example.se"


def test_a_message_that_cannot_be_built_fails_without_stopping_the_others(mail_server, monkeypatch):
    queue(to="broken@example.se")
    queue(to="fine@example.se")
    build = mail.build_email

    def build_or_break(message):  # stands in for a bug we have not made yet
        if message.recipient == "broken@example.se":
            raise ValueError("cannot build")
        return build(message)

    monkeypatch.setattr(worker, "build_email", build_or_break)
    report = mail.deliver_due()
    assert (report.sent, report.failed) == (1, 1)
    assert [m["To"].addresses[0].addr_spec for m in mail_server.messages] == ["fine@example.se"]
    assert all_messages()[0].status == OutboxStatus.FAILED and "cannot build" in all_messages()[0].last_error


def test_retries_back_off_exponentially_up_to_an_hour():
    assert [mail.retry_delay(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert mail.retry_delay(12) == timedelta(hours=1)


def test_a_refused_address_fails_for_good_but_is_kept_and_others_still_go(mail_server):
    queue(to="nobody@example.se")
    queue(to="anna@example.se")
    report = mail.deliver_due()
    assert (report.sent, report.failed) == (1, 1)
    failed, sent = all_messages()
    assert failed.status == OutboxStatus.FAILED and "550" in failed.last_error
    assert sent.status == OutboxStatus.SENT

    mail.retry(failed)
    assert failed.status == OutboxStatus.QUEUED and failed.attempts == 0


def test_a_claim_left_by_a_dead_worker_is_taken_back_after_the_lease(mail_server):
    message = queue()
    message.status, message.claimed_at = OutboxStatus.SENDING, utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert mail.deliver_due().handled == 0  # another worker may still be sending it
    message.claimed_at = utcnow() - mail.CLAIM_LEASE - timedelta(minutes=1)
    db.session.commit()
    assert mail.deliver_due().sent == 1
    assert len(mail_server.messages) == 1


def test_two_workers_on_postgresql_never_send_a_message_twice(app, mail_server):
    require_postgres("SELECT … FOR UPDATE SKIP LOCKED is what lets workers share the outbox")
    for n in range(60):
        mail.enqueue(f"person{n}@example.se", "test", locale="sv", subject=SUBJECT)
    db.session.commit()
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def worker():
        try:
            with app.app_context():
                start.wait()
                while mail.deliver_due(batch=3).handled:
                    pass
                db.session.remove()
        except BaseException as error:  # surfaced in the test thread below
            failures.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    ids = [m["Message-ID"] for m in mail_server.messages]
    assert len(ids) == 60 and len(set(ids)) == 60
    assert (
        db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.SENT)
        )
        == 60
    )


def test_mail_worker_command_delivers_once(runner, mail_server):
    queue()
    result = runner.invoke(args=["mail-worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert len(mail_server.messages) == 1


def test_send_test_mail_command_refuses_a_bad_address(runner):
    result = runner.invoke(args=["send-test-mail", "--to", "not an address"])
    assert result.exit_code != 0
    assert all_messages() == []
    result = runner.invoke(args=["send-test-mail", "--to", "admin@example.se", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert all_messages()[0].subject == "Test message from Samverkan"


def sessions_used(mail_server) -> int:
    return len({id(session) for session in mail_server.sessions})


def by_recipient() -> dict[str, OutboxMessage]:
    return {m.recipient: m for m in all_messages()}


def test_a_batch_shares_one_session_and_a_busy_mailbox_is_retried_while_the_others_go(mail_server):
    for name in ("anna", "busy", "carl", "dora"):
        queue(to=f"{name}@example.se")
    now = utcnow()
    report = mail.deliver_due(now=now)
    assert (report.sent, report.retrying, report.failed) == (3, 1, 0)
    assert sorted(m["To"].addresses[0].addr_spec for m in mail_server.messages) == [
        "anna@example.se",
        "carl@example.se",
        "dora@example.se",
    ]
    assert sessions_used(mail_server) == 1  # the refusal did not cost the others a new session
    busy = by_recipient()["busy@example.se"]
    assert busy.status == OutboxStatus.QUEUED and busy.attempts == 1 and "451" in busy.last_error
    assert busy.next_attempt_at == now + mail.FIRST_RETRY and busy.sent_at is None
    assert all(m.status == OutboxStatus.SENT and m.sent_at for m in all_messages() if m is not busy)


def test_a_session_the_server_hangs_up_is_opened_again_and_each_message_goes_once(mail_server):
    mail_server.session_limit = 2
    for n in range(5):
        queue(to=f"person{n}@example.se")
    report = mail.deliver_due()
    assert (report.sent, report.retrying, report.failed) == (5, 0, 0)
    ids = [m["Message-ID"] for m in mail_server.messages]
    assert len(ids) == 5 and len(set(ids)) == 5
    assert sessions_used(mail_server) == 3
    assert {m.status for m in all_messages()} == {OutboxStatus.SENT}


def test_a_server_that_dies_mid_batch_keeps_the_rest_queued_and_sends_them_once_it_is_back(mail_server):
    mail_server.down_after = 2
    for n in range(5):
        queue(to=f"person{n}@example.se")
    now = utcnow()
    report = mail.deliver_due(now=now)
    assert (report.sent, report.retrying, report.failed) == (2, 3, 0)
    statuses = [(m.status, m.attempts) for m in all_messages()]
    assert statuses == [(OutboxStatus.SENT, 1)] * 2 + [(OutboxStatus.QUEUED, 1)] * 3
    assert all("421" in m.last_error for m in all_messages()[2:])

    mail_server.down = False
    assert mail.deliver_due(now=now + timedelta(minutes=2)).sent == 3
    ids = [m["Message-ID"] for m in mail_server.messages]
    assert len(ids) == 5 and len(set(ids)) == 5
    assert {m.status for m in all_messages()} == {OutboxStatus.SENT}


def test_a_batch_marks_its_messages_with_one_update(mail_server, count_queries):
    for n in range(20):
        queue(to=f"person{n}@example.se", attachments=[mail.ics_attachment(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")])
    with count_queries() as statements:
        assert mail.deliver_due(batch=20).sent == 20
    # Claim (take back stale claims, pick, claim), load with attachments, mark sent.
    assert len(statements) == 6, statements
    assert len(mail_server.messages) == 20


def test_a_batch_that_runs_out_of_time_gives_its_untried_messages_back(mail_server, monkeypatch):
    queue()
    monkeypatch.setattr(worker, "SENDING_TIME_LIMIT", timedelta(0))
    assert mail.deliver_due().handled == 0
    [message] = all_messages()
    assert (message.status, message.attempts) == (OutboxStatus.QUEUED, 0)
    assert mail_server.messages == []
    monkeypatch.undo()
    assert mail.deliver_due().sent == 1


def test_long_swedish_names_and_subjects_and_an_international_address_arrive_intact(mail_server):
    name = "Åsa-Britt Öberg Långström, " * 6
    subject = "Påminnelse: " + "Inspirationsdag om validering i Östergötland " * 4
    for address in ("asa@example.se", "åsa@exempel.se"):
        mail.enqueue(address, "test", locale="sv", subject=subject, to_name=name)
    db.session.commit()
    assert mail.deliver_due().sent == 2
    [received] = mail_server.to("asa@example.se")
    assert received["To"].addresses[0].addr_spec == "asa@example.se"
    assert received["To"].addresses[0].display_name == " ".join(name.split())
    assert received["Subject"] == " ".join(subject.split())
    assert "fungerar utgående e-post" in text_part(received) and "fungerar utgående e-post" in html_part(received)
    # An address beyond ASCII travels with SMTPUTF8, its headers in UTF-8 as they are. (Read
    # from the wire: Python 3.13 writes a parsed message's 8-bit headers as unknown-8bit.)
    [international] = mail_server.raw_to("åsa@exempel.se")
    headers = international.split(b"\r\n\r\n")[0]
    assert "åsa@exempel.se".encode() in headers and "Subject: Påminnelse".encode() in headers
    assert b"=?" not in headers  # no encoded words, no unknown-8bit


def test_due_mail_is_looked_for_at_once_then_once_a_minute():
    clock = [0.0]
    checks = Every(DUE_MAIL_CHECK_EVERY, clock=lambda: clock[0])
    seen = []
    for seconds in (0, 1, 59.9, 60, 61, 130):
        clock[0] = seconds
        seen.append(checks.due())
    assert seen == [True, False, False, True, False, True]


def test_a_round_without_the_check_delivers_and_leaves_due_reminders_for_the_next_check(make_event, mail_server):
    event = make_event(starts_at=utcnow() + timedelta(days=1), reminder_days=2)
    registration = registrations.register(
        event,
        registrations.RegistrationDetails(
            name="Karin Lind", email="karin@example.se", sector="municipality", consent=True
        ),
        locale="sv",
    ).registration
    registration.created_at = utcnow() - timedelta(days=5)
    db.session.commit()

    assert worker_round(20, check_due=False).sent == 1  # the confirmation
    assert worker_round(20, check_due=False).handled == 0
    assert worker_round(20).sent == 1  # the reminder
    assert [m["Subject"] for m in mail_server.messages][1] == f"Påminnelse: {event.title}"


def test_a_worker_told_to_stop_mid_batch_finishes_it_first(app, mail_server):
    mail_server.delay = 0.05
    for n in range(30):
        mail.enqueue(f"person{n}@example.se", "test", locale="sv", subject=SUBJECT)
    db.session.commit()
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "stop-test",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(mail_server.port),
        "BASE_URL": "http://127.0.0.1",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "tests.scaling_app", "mail-worker", "--batch", "30"],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while not mail_server.messages and time.monotonic() < deadline:
            time.sleep(0.02)
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
    finally:
        worker.kill()
    assert worker.returncode == 0, output
    assert "sent 30" in output
    assert len(mail_server.messages) == 30
    assert {m.status for m in all_messages()} == {OutboxStatus.SENT}
