"""Every kind of personal data has a retention period (config.py, stated on /privacy) and
`flask purge-personal-data` enforces it: each test moves the clock past a period, and
just short of it, and sees what goes and what stays."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import (
    AuditEntry,
    Contact,
    ImportBatch,
    OutboxMessage,
    SurveyAnswer,
    SurveyLink,
    SurveyResponse,
    VisitRequest,
    VisitStatus,
)
from app.models.types import utcnow
from app.services import audit, events, invitations, mail, personal_data, surveys, visits
from app.services.invitations import contacts
from app.services.invitations.contacts import ContactDetails
from app.services.visits import VisitDetails
from tests.feedback_data import answers, links, participant, past_event, survey_for

DAY = timedelta(days=1)


def purge(now, **kwargs):
    db.session.expire_all()
    report = personal_data.purge_expired(now=now, **kwargs)
    db.session.expire_all()
    return report


def count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def visit_request(email="karin@kronoberg.example", name="Karin Kronoberg") -> VisitRequest:
    return visits.submit_request(
        VisitDetails(
            region_code="07",
            contact_name=name,
            contact_email=email,
            kind="workshop",
            contact_phone="070-111 22 33",
            period_text="hösten",
            audience_sectors=["municipality"],
            message="Vi vill samla kommunerna.",
            consent=True,
        ),
        locale="sv",
    )


def test_visit_requests_lose_their_contact_months_after_they_were_last_handled(app, organiser):
    declined = visit_request()
    visits.answer(declined, "Tyvärr hinner vi inte i höst.", organiser)
    visits.decline(declined, organiser)
    waiting = visit_request(email="nils@kalmar.example", name="Nils Kalmar")  # never handled
    months = app.config["VISIT_RETENTION_MONTHS"]
    handled = db.session.get(VisitRequest, declined.id).updated_at

    assert purge(handled + relativedelta(months=months) - DAY).visit_requests == 0
    assert db.session.get(VisitRequest, declined.id).contact_email == "karin@kronoberg.example"

    report = purge(handled + relativedelta(months=months) + DAY)
    assert report.visit_requests == 2
    for visit in (db.session.get(VisitRequest, declined.id), db.session.get(VisitRequest, waiting.id)):
        assert visit.erased_at is not None
        assert (visit.contact_name, visit.contact_email, visit.contact_phone, visit.message) == ("", "", "", "")
        assert visit.notes == [] and visit.region.code == "07" and visit.kind.value == "workshop"
    assert db.session.get(VisitRequest, declined.id).status == VisitStatus.DECLINED  # the statistics stay
    assert count(OutboxMessage, OutboxMessage.visit_request_id.is_not(None)) == 0
    assert purge(handled + relativedelta(months=months + 1)).visit_requests == 0  # once is enough


def test_a_scheduled_visit_is_kept_until_months_after_it_took_place(app, organiser):
    visit = visit_request()
    event = visits.accept(visit, organiser)
    event.venue_name, event.venue_city = "Residenset", "Växjö"
    events.publish_event(event, organiser)
    assert db.session.get(VisitRequest, visit.id).status == VisitStatus.SCHEDULED
    held = event.ends_at + relativedelta(months=app.config["VISIT_RETENTION_MONTHS"])

    assert purge(held - DAY).visit_requests == 0
    assert purge(held + DAY).visit_requests == 1
    assert db.session.get(VisitRequest, visit.id).contact_name == ""


def test_mail_not_tied_to_an_event_goes_after_its_days(app, make_event):
    mail.enqueue_test_message("kontroll@example.se", "sv")
    visit_request()
    event_mail = mail.enqueue("deltagare@example.se", "test", locale="sv", subject="Om evenemanget", event=make_event())
    db.session.commit()
    days = app.config["MAIL_RETENTION_DAYS"]

    assert purge(utcnow() + timedelta(days=days) - DAY).other_messages == 0
    report = purge(utcnow() + timedelta(days=days) + DAY)
    assert report.other_messages == 2
    assert db.session.scalars(select(OutboxMessage.id)).all() == [event_mail.id]  # goes with its event


def test_mail_still_waiting_to_be_sent_is_not_purged(app):
    message = mail.enqueue_test_message("kontroll@example.se", "sv")
    message.status = message.status.QUEUED
    db.session.commit()
    assert purge(utcnow() + timedelta(days=app.config["MAIL_RETENTION_DAYS"] + 1)).other_messages == 0


def test_address_list_previews_go_after_their_hours(app, make_event, organiser):
    event = make_event(organisers=[organiser])
    invitations.preview(event, "Petra <petra@example.se>", organiser)
    contacts.preview_import("ola@example.se", organiser)
    hours = app.config["IMPORT_PREVIEW_HOURS"]

    assert purge(utcnow() + timedelta(hours=hours) - timedelta(minutes=5)).import_previews == 0
    assert purge(utcnow() + timedelta(hours=hours) + timedelta(minutes=5)).import_previews == 2
    assert count(ImportBatch) == 0


def test_unsubscribed_contacts_leave_only_the_keyed_hash_after_their_days(app, make_event, organiser):
    contact = contacts.create(ContactDetails(email="petra@example.se", name="Petra Persson"), organiser)
    contacts.unsubscribe(contact)
    days = app.config["UNSUBSCRIBED_CONTACT_DAYS"]

    assert purge(utcnow() + timedelta(days=days) - DAY).unsubscribed_contacts == 0
    assert count(Contact) == 1  # still listed: the person can subscribe again through their link
    assert purge(utcnow() + timedelta(days=days) + DAY).unsubscribed_contacts == 1
    assert count(Contact) == 0

    batch = invitations.preview(make_event(organisers=[organiser]), "Petra@Example.se", organiser)
    assert batch.rows[0]["problem"] == "unsubscribed"  # never invited again


def test_address_book_entries_go_months_after_they_were_last_invited(app, make_event, organiser):
    contacts.create(ContactDetails(email="ola@example.se", name="Ola"), organiser)
    contacts.create(ContactDetails(email="petra@example.se", name="Petra"), organiser)
    months = app.config["CONTACT_RETENTION_MONTHS"]
    later = utcnow() + relativedelta(months=months - 6)
    invitations.import_rows(make_event(organisers=[organiser]), "petra@example.se", organiser)
    petra = db.session.scalar(select(Contact).where(Contact.email == "petra@example.se"))
    assert petra.last_invited_at is not None  # the import notes it
    petra.last_invited_at = later  # invited again half a year before Ola's time is up
    db.session.commit()

    assert purge(utcnow() + relativedelta(months=months) - DAY).contacts == 0
    assert purge(utcnow() + relativedelta(months=months) + DAY).contacts == 1
    assert db.session.scalars(select(Contact.email)).all() == ["petra@example.se"]
    assert purge(later + relativedelta(months=months) + DAY).contacts == 1


def test_the_audit_log_goes_after_its_months(app, organiser):
    audit.record(organiser, "contacts.imported", count=3)
    db.session.commit()
    months = app.config["AUDIT_RETENTION_MONTHS"]

    assert purge(utcnow() + relativedelta(months=months) - DAY).audit_entries == 0
    assert purge(utcnow() + relativedelta(months=months) + DAY).audit_entries == 1
    assert count(AuditEntry, AuditEntry.action == "contacts.imported") == 0


def test_purged_registrations_lose_their_survey_link_and_their_own_words(make_event, organiser):
    event = past_event(make_event, organiser, retention_months=1)
    karin = participant(event, "Karin Lind")
    survey = survey_for(event, anonymous=False)
    surveys.send_due_survey_mail()
    link = links(survey)[karin.id]
    token = link.token
    surveys.submit(link, MultiDict(answers(survey, valuable="Att träffa Nils på Komvux")))

    purge(event.ends_at + relativedelta(months=1) + DAY)
    assert surveys.find_link(token) is None
    assert db.session.get(SurveyLink, link.id) is not None  # still counted as invited
    response = db.session.scalar(select(SurveyResponse))
    assert response.registration_id == karin.id
    assert all(answer.text is None for answer in db.session.scalars(select(SurveyAnswer)))
    assert count(SurveyAnswer, SurveyAnswer.number.is_not(None)) == 2  # the ratings stay


def test_dry_run_reports_each_kind_and_changes_nothing(runner, app, make_event, organiser):
    visit_request()
    mail.enqueue_test_message("kontroll@example.se", "sv")
    contacts.preview_import("ola@example.se", organiser)
    contact = contacts.create(ContactDetails(email="petra@example.se"), organiser)
    contacts.unsubscribe(contact)
    audit.record(organiser, "contacts.imported", count=1)
    db.session.commit()
    # Everything above is old enough to go: the database's clock is moved back instead of the app's.
    years_ago = utcnow() - relativedelta(years=5)
    for model in (VisitRequest, OutboxMessage, ImportBatch, AuditEntry):
        db.session.execute(model.__table__.update().values(created_at=years_ago))
    db.session.execute(VisitRequest.__table__.update().values(updated_at=years_ago))
    db.session.execute(Contact.__table__.update().values(unsubscribed_at=years_ago))
    db.session.commit()

    dry = runner.invoke(args=["purge-personal-data", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    for line in (
        "Would erase the contact details of 1 visit requests",
        "Would erase 2 emails not tied to an event",
        "Would erase 1 unconfirmed address-list previews",
        "Would erase 1 unsubscribed address-book entries",
        "Would erase 0 address-book entries",
        "Would erase 0 registrations",
    ):
        assert line in dry.output, dry.output
    assert "log entries" in dry.output
    assert count(VisitRequest, VisitRequest.erased_at.is_not(None)) == 0 and count(Contact) == 1
    assert count(ImportBatch) == 1 and count(OutboxMessage) == 2

    done = runner.invoke(args=["purge-personal-data"])
    assert "Erased the contact details of 1 visit requests" in done.output
    db.session.expire_all()
    assert count(VisitRequest, VisitRequest.erased_at.is_not(None)) == 1 and count(Contact) == 0
    assert count(ImportBatch) == 0 and count(OutboxMessage) == 0
