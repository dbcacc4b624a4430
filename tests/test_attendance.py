"""Badges, check-in by a badge's QR code, attendance certificates and their verification
(issue 16), through the pages as an organiser and a participant use them."""

from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db, limiter
from app.models import AuditEntry, EventKind, EventStatus, Registration, RegistrationStatus
from app.services import mail, registrations, surveys
from app.services.registrations import RegistrationDetails
from tests.feedback_data import participant, past_event, survey_for
from tests.mailserver import attachments, text_part
from tests.test_documents import render_and_read


def pdf_text(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(data)).pages]


def register(event, name, email, *, organisation="Gävle kommun", locale="sv") -> Registration:
    details = RegistrationDetails(
        name=name, email=email, organisation=organisation, sector="municipality", consent=True
    )
    return registrations.register(event, details, locale=locale).registration


@pytest.fixture
def conference(make_event, organiser, auth):
    event = make_event(title="Nationell konferens om validering", capacity=2, organisers=[organiser])
    people = [
        register(event, "Anna Andersson", "anna@example.se"),
        register(event, "Bertil Berg", "bertil@example.se", organisation="Arbetsförmedlingen"),
        register(event, "Cecilia Carlsson", "cecilia@example.se"),  # on the waiting list
    ]
    auth.login(organiser)
    return event, people


def code_of(registration) -> str:
    return registration.checkin_code


# --- Badges ------------------------------------------------------------------------------


def test_the_badge_page_offers_the_layouts_and_the_choices(client, conference):
    event, _ = conference
    page = client.get(f"/manage/events/{event.id}/badges")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Avery L7165" in text and "Avery L7173" in text
    assert "2 personer" in text and "3 personer" in text


def test_the_badge_sheet_has_the_confirmed_by_name_and_qr_codes_that_check_them_in(client, conference, tmp_path):
    event, (anna, bertil, cecilia) = conference
    answer = client.get(f"/manage/events/{event.id}/badges?layout=2x5&qr=y&group=seated")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.headers["Cache-Control"] == "no-store"
    (page,) = pdf_text(answer.data)
    assert "Anna Andersson" in page and "Bertil Berg" in page and "Arbetsförmedlingen" in page
    assert "Cecilia" not in page
    read = render_and_read(answer.data, tmp_path, "2x5", 2)
    links = [read[0], read[1]]
    assert [parse_qs(urlsplit(link).query)["code"][0] for link in links] == [anna.checkin_code, bertil.checkin_code]
    assert urlsplit(links[0]).path == f"/manage/events/{event.id}/checkin/scan"

    # The code read from the printed badge checks Anna in.
    answer = client.post(f"/manage/events/{event.id}/checkin/scan", data={"code": read[0].split("code=")[1]})
    assert answer.status_code == 303
    db.session.refresh(anna)
    assert anna.status == RegistrationStatus.ATTENDED


def test_badges_without_qr_and_with_the_waiting_list(client, conference, tmp_path):
    event, _ = conference
    answer = client.get(f"/manage/events/{event.id}/badges?layout=2x4&group=with_waitlist")
    assert answer.status_code == 200
    (page,) = pdf_text(answer.data)
    assert "Cecilia Carlsson" in page
    assert render_and_read(answer.data, tmp_path, "2x4", 3) == {0: None, 1: None, 2: None}


@pytest.mark.parametrize("query", ["layout=3x9&group=seated", "layout=2x4&group=everyone", "layout=&group="])
def test_an_unknown_badge_choice_is_refused_with_a_message(client, conference, query):
    event, _ = conference
    answer = client.get(f"/manage/events/{event.id}/badges?{query}")
    assert answer.status_code == 400
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "Välj ett av alternativen" in answer.get_data(as_text=True)


def test_an_event_without_participants_has_no_badges_to_print(client, make_event, organiser, auth):
    event = make_event(organisers=[organiser])
    auth.login(organiser)
    answer = client.get(f"/manage/events/{event.id}/badges?layout=2x4&group=seated")
    assert answer.status_code == 200
    assert "Ingen att skriva ut en namnbricka för" in answer.get_data(as_text=True)


# --- Check-in by scanning ------------------------------------------------------------------


def test_the_scan_page_has_the_scanner_may_use_the_camera_and_keeps_the_manual_search(client, conference):
    event, _ = conference
    answer = client.get(f"/manage/events/{event.id}/checkin/scan")
    assert answer.status_code == 200
    assert answer.headers["Permissions-Policy"] == "camera=(self), microphone=(), geolocation=()"
    text = answer.get_data(as_text=True)
    assert "data-qr-scan" in text and 'name="csrf_token"' in text
    assert f'action="/manage/events/{event.id}/checkin"' in text
    # Every other page keeps the camera off.
    assert client.get(f"/manage/events/{event.id}/checkin").headers["Permissions-Policy"].startswith("camera=()")


def test_a_scan_checks_the_person_in_shows_their_name_and_is_logged(client, conference):
    event, (anna, *_) = conference
    answer = client.post(f"/manage/events/{event.id}/checkin/scan", data={"code": anna.checkin_code})
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Anna Andersson är incheckad." in page
    assert 'class="scan-result-name mb-1">Anna Andersson<' in page
    assert "1 av 2 incheckade" in page
    db.session.refresh(anna)
    assert anna.status == RegistrationStatus.ATTENDED and anna.checked_in_at is not None
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "registration.checked_in"))


def test_a_second_scan_says_already_checked_in_and_changes_nothing(client, conference):
    event, (anna, *_) = conference
    client.post(f"/manage/events/{event.id}/checkin/scan", data={"code": anna.checkin_code})
    db.session.refresh(anna)
    first = anna.checked_in_at
    answer = client.post(f"/manage/events/{event.id}/checkin/scan", data={"code": anna.checkin_code})
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Anna Andersson var redan incheckad." in page
    db.session.refresh(anna)
    assert anna.checked_in_at == first


@pytest.mark.parametrize(
    "code, message",
    [
        ("x" * 43, "Koden hör inte till någon anmälans namnbricka"),
        ("inte en kod", "Koden hör inte till någon anmälans namnbricka"),
        ("", "Koden hör inte till någon anmälans namnbricka"),
        ("<script>alert(1)</script>" * 20, "Koden hör inte till någon anmälans namnbricka"),
    ],
)
def test_an_unknown_code_is_told_and_checks_nobody_in(client, conference, code, message):
    event, people = conference
    answer = client.post(f"/manage/events/{event.id}/checkin/scan", data={"code": code})
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert message in page and "<script>alert" not in page
    assert all(db.session.get(Registration, p.id).status != RegistrationStatus.ATTENDED for p in people)


def test_a_badge_of_another_event_is_told_without_naming_its_person(client, conference, make_event):
    event, people = conference
    other = make_event(title="Annan workshop")
    stranger = register(other, "Doris Dahl", "doris@example.se")
    answer = client.post(f"/manage/events/{event.id}/checkin/scan", data={"code": stranger.checkin_code})
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Namnbrickan hör till ett annat evenemang" in page
    assert "Doris" not in page and "Annan workshop" not in page
    db.session.refresh(stranger)
    assert stranger.status == RegistrationStatus.CONFIRMED


def test_the_waiting_list_and_the_cancelled_are_not_let_in_by_a_scan(client, conference):
    event, (anna, _, cecilia) = conference
    assert cecilia.status == RegistrationStatus.WAITLISTED
    answer = client.post(f"/manage/events/{event.id}/checkin/scan", data={"code": cecilia.checkin_code})
    assert "Cecilia Carlsson står på reservlistan" in client.get(answer.headers["Location"]).get_data(as_text=True)
    registrations.cancel(anna)
    answer = client.post(f"/manage/events/{event.id}/checkin/scan", data={"code": anna.checkin_code})
    assert "Anna Anderssons anmälan är avbokad" in client.get(answer.headers["Location"]).get_data(as_text=True)
    assert {db.session.get(Registration, p.id).status for p in (anna, cecilia)} == {
        RegistrationStatus.CANCELLED,
        RegistrationStatus.CONFIRMED,  # Cecilia moved up to Anna's seat, and still is not checked in
    }


@pytest.mark.parametrize("token", ["forged", ""])
def test_a_scan_without_the_pages_csrf_token_is_refused(client, conference, token):
    event, (anna, *_) = conference
    answer = client.post(
        f"/manage/events/{event.id}/checkin/scan", data={"code": anna.checkin_code, "csrf_token": token}
    )
    assert answer.status_code == 400
    db.session.refresh(anna)
    assert anna.status == RegistrationStatus.CONFIRMED


def test_the_badge_link_opened_by_a_phone_camera_asks_before_checking_in(client, conference):
    event, (anna, *_) = conference
    page = client.get(f"/manage/events/{event.id}/checkin/scan?code={anna.checkin_code}").get_data(as_text=True)
    assert "Checka in Anna Andersson" in page
    db.session.refresh(anna)
    assert anna.status == RegistrationStatus.CONFIRMED  # a link changes nothing by itself


def test_another_organiser_may_not_open_or_post_to_the_attendance_pages(client, conference, make_user, auth):
    event, (anna, *_) = conference
    auth.logout()
    auth.login(make_user(name="Otto Other"))
    for url in (
        "badges",
        "badges?layout=2x4&group=seated",
        "checkin/scan",
        f"checkin/scan?code={anna.checkin_code}",
        "certificates.pdf",
    ):
        assert client.get(f"/manage/events/{event.id}/{url}").status_code == 403, url
    assert client.post(f"/manage/events/{event.id}/checkin/scan", data={"code": anna.checkin_code}).status_code == 403
    db.session.refresh(anna)
    assert anna.status == RegistrationStatus.CONFIRMED


def test_logged_out_the_attendance_pages_ask_to_log_in(app, conference):
    event, _ = conference
    client = app.test_client()
    for url in ("badges", "checkin/scan", "certificates.pdf"):
        answer = client.get(f"/manage/events/{event.id}/{url}")
        assert answer.status_code == 302 and "/login" in answer.headers["Location"]


# --- Certificates -------------------------------------------------------------------------


@pytest.fixture
def held(make_event, organiser):
    """A workshop that ended yesterday, with one person checked in and one who stayed away."""
    event = past_event(
        make_event, organiser, title="Workshop om validering", contact_name="Stina Samordnare", kind=EventKind.WORKSHOP
    )
    came = participant(event, "Karin Lind", organisation="Region Gävleborg")
    away = participant(event, "Bo Borta", status=RegistrationStatus.CONFIRMED)
    return event, came, away


def test_a_checked_in_participant_downloads_their_certificate_after_the_event(client, held):
    event, came, _ = held
    page = client.get(f"/r/{came.manage_token}").get_data(as_text=True)
    assert "Ladda ned deltagarintyg" in page
    answer = client.get(f"/r/{came.manage_token}/certificate.pdf")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.headers["Cache-Control"] == "no-store"
    assert f'filename="deltagarintyg-{event.id}.pdf"' in answer.headers["Content-Disposition"]
    (text,) = pdf_text(answer.data)
    assert "Deltagarintyg" in text and "Karin Lind" in text and "Region Gävleborg" in text
    assert "Workshop om validering" in text and "Stina Samordnare" in text and "Valideringsdelegationen" in text
    assert came.certificate_code in text and "http://localhost/verify" in text


def test_erasure_retires_the_badge_and_certificate_codes(client, held):
    """The printed badge and certificate carry codes; once the person is erased they open nothing."""
    _, came, _ = held
    badge, certificate = came.checkin_code, came.certificate_code
    assert "Dina uppgifter är raderade" in client.post(f"/r/{came.manage_token}/erase").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Registration).where(Registration.checkin_code == badge)) is None
    assert db.session.scalar(select(Registration).where(Registration.certificate_code == certificate)) is None
    assert client.get(f"/verify/{certificate}").status_code == 404


def test_a_participant_who_registered_in_english_gets_it_in_english(client, make_event, organiser):
    event = past_event(make_event, organiser, title="Validation workshop")
    came = participant(event, "Kim Park", locale="en")
    answer = client.get(f"/r/{came.manage_token}/certificate.pdf")
    assert 'filename="certificate-of-attendance-' in answer.headers["Content-Disposition"]
    (text,) = pdf_text(answer.data)
    assert "Certificate of attendance" in text and "Kim Park" in text


def test_no_certificate_for_those_not_checked_in_before_the_event_ends_or_of_a_cancelled_event(
    client, held, make_event, organiser
):
    event, came, away = held
    upcoming = make_event(organisers=[organiser])
    early = register(upcoming, "Tidig Person", "tidig@example.se")
    registrations.check_in(early, True, by=None)
    cancelled = past_event(make_event, organiser, status=EventStatus.CANCELLED)
    at_cancelled = participant(cancelled, "Inställd Person")
    for registration in (away, early, at_cancelled):
        assert "Ladda ned deltagarintyg" not in client.get(f"/r/{registration.manage_token}").get_data(as_text=True)
        answer = client.get(f"/r/{registration.manage_token}/certificate.pdf")
        assert answer.status_code == 404
        assert "när evenemanget är slut" in answer.get_data(as_text=True)
    assert client.get("/r/" + "x" * 43 + "/certificate.pdf").status_code == 404


def test_the_organiser_prints_everyones_certificates_after_the_event(client, held, organiser, auth):
    event, came, away = held
    second = participant(event, "Alva Ek")
    auth.login(organiser)
    assert "Deltagarintyg (pdf)" in client.get(f"/manage/events/{event.id}").get_data(as_text=True)
    answer = client.get(f"/manage/events/{event.id}/certificates.pdf")
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/pdf"
    pages = pdf_text(answer.data)
    assert len(pages) == 2
    assert "Alva Ek" in pages[0] and "Karin Lind" in pages[1]
    assert second.certificate_code in pages[0] and came.certificate_code in pages[1]


def test_before_the_event_ends_the_organiser_is_told_there_are_no_certificates_yet(client, conference):
    event, _ = conference
    assert "Deltagarintyg (pdf)" not in client.get(f"/manage/events/{event.id}").get_data(as_text=True)
    answer = client.get(f"/manage/events/{event.id}/certificates.pdf", follow_redirects=True)
    assert "Deltagarintygen kan skrivas ut när evenemanget är slut" in answer.get_data(as_text=True)


# --- Verifying a certificate ------------------------------------------------------------


def test_a_genuine_code_shows_name_event_and_date_and_nothing_else(client, held):
    event, came, _ = held
    typed = came.certificate_code.lower().replace("-", " ")
    answer = client.get(f"/verify?code={typed}")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/verify/{came.certificate_code}")
    answer = client.get(answer.headers["Location"])
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "Intyget är äkta." in page and "Karin Lind" in page and "Workshop om validering" in page
    assert "Region Gävleborg" not in page and came.email not in page and came.manage_token not in page


def test_an_unknown_or_malformed_code_is_told_plainly(client, held):
    event, came, away = held
    for code in ("ABCD-EFGH-JKLM", away.certificate_code):  # no such code; not checked in
        answer = client.get(f"/verify/{code}")
        assert answer.status_code == 404
        page = answer.get_data(as_text=True)
        assert "Vi har inte utfärdat något intyg med koden" in page and "Bo Borta" not in page
    answer = client.get("/verify?code=<b>nej</b>")
    assert answer.status_code == 400
    assert "Det är ingen verifieringskod" in answer.get_data(as_text=True)
    assert client.get("/verify").status_code == 200


def test_verifying_is_rate_limited(limited_app, make_event):
    limited_app.config["CERTIFICATE_VERIFY_RATE_LIMIT"] = "3 per minute"
    client = limited_app.test_client()
    statuses = [client.get("/verify/ABCD-EFGH-JKLM").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]


def test_the_certificate_and_own_calendar_downloads_are_rate_limited(limited_app, held):
    """Each is made afresh per request: a script fetching one in a loop must not tie up a worker."""
    _, came, _ = held
    limited_app.config["PUBLIC_FORM_RATE_LIMIT"] = "2 per minute"
    client = limited_app.test_client()
    for path in (f"/r/{came.manage_token}/certificate.pdf", f"/r/{came.manage_token}/calendar.ics"):
        statuses = [client.get(path).status_code for _ in range(3)]
        assert statuses == [200, 200, 429], path
        limiter.reset()


# --- The certificate with the survey mail ------------------------------------------------


def test_the_survey_mail_carries_the_certificate_when_the_organiser_asks(held, mail_server):
    event, came, away = held
    event.certificate_with_survey = True
    db.session.commit()
    survey_for(event)
    # Someone checked in is there: only they are invited, as the survey always did.
    assert surveys.send_due_survey_mail() == 1
    assert mail.deliver_due().sent == 1
    [message] = mail_server.to(came.email)
    files = attachments(message)
    assert list(files) == [f"deltagarintyg-{event.id}.pdf"]
    assert files[f"deltagarintyg-{event.id}.pdf"].get_content_type() == "application/pdf"
    (text,) = pdf_text(files[f"deltagarintyg-{event.id}.pdf"].get_payload(decode=True))
    assert "Karin Lind" in text and came.certificate_code in text
    assert "Ditt deltagarintyg är bifogat" in text_part(message)


def test_without_the_setting_the_survey_mail_has_no_attachment(held, mail_server):
    event, came, _ = held
    survey_for(event)
    surveys.send_due_survey_mail()
    mail.deliver_due()
    [message] = mail_server.to(came.email)
    assert attachments(message) == {}
    assert "deltagarintyg" not in text_part(message)
