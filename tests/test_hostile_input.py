"""Hostile input to every form and API parameter: never a 500, never half-saved,
always shown escaped. Property-based, so new kinds of bad input are found for us."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db
from app.models import Event, RegionStepRecord, User

NASTY_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=5000),
    st.sampled_from([
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'; DROP TABLE event; --",
        "1 OR 1=1", "\x00", "a\x00b", "\u202egnp.exe", "Ünïcödé ÅÄÖ åäö ØÆ 漢字 🙂", "\r\n\t\x1b[31m",
        "9" * 40, "-1", "0", "2027-02-30T25:61", "0001-01-01T00:00", "9999-12-31T23:59", "NaN", "1e309",
        "javascript:alert(1)", "https://" + "a" * 600 + ".se", "", " ", "%00", "../../etc/passwd",
    ]),
)
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


def assert_safe(response):
    assert response.status_code < 500, response.status_code
    page = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x onerror" not in page


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@FUZZ
@given(region=NASTY_TEXT, kind=NASTY_TEXT, page=NASTY_TEXT)
def test_public_filters(client, region, kind, page):
    for url in ("/", "/events/archive"):
        assert_safe(client.get(url, query_string={"region": region, "kind": kind, "page": page}))


@FUZZ
@given(region=NASTY_TEXT, kind=NASTY_TEXT, start=NASTY_TEXT, end=NASTY_TEXT, page=NASTY_TEXT, per_page=NASTY_TEXT)
def test_api_parameters(client, region, kind, start, end, page, per_page):
    response = client.get("/api/v1/events", query_string={
        "region": region, "kind": kind, "from": start, "to": end, "page": page, "per_page": per_page,
    })
    assert response.status_code in (200, 400)
    assert response.is_json


@FUZZ
@given(email=NASTY_TEXT, password=NASTY_TEXT)
def test_login_form(client, email, password):
    assert_safe(client.post("/login", data={"email": email, "password": password}))


@pytest.fixture
def organiser_client(client, auth, organiser):
    auth.login(organiser)
    return client


@FUZZ
@given(fields=st.fixed_dictionaries({
    name: NASTY_TEXT for name in (
        "title", "kind", "region", "description", "starts_at", "ends_at", "venue_name", "venue_address",
        "venue_city", "online_url", "capacity", "registration_opens_at", "registration_closes_at", "organisers",
    )
}))
def test_event_form(organiser_client, fields):
    before = count(Event)
    response = organiser_client.post("/manage/events/new", data=fields)
    assert_safe(response)
    if response.status_code != 302:
        assert count(Event) == before  # refused input saves nothing
    for event in db.session.scalars(select(Event)):
        page = organiser_client.get(f"/manage/events/{event.id}")
        assert_safe(page)


@FUZZ
@given(step=NASTY_TEXT, day=NASTY_TEXT, note=NASTY_TEXT)
def test_region_step_form(organiser_client, step, day, note):
    before = count(RegionStepRecord)
    response = organiser_client.post("/regions/07/steps", data={"step_number": step, "recorded_on": day, "note": note})
    assert_safe(response)
    if response.status_code != 302:
        assert count(RegionStepRecord) == before
    assert_safe(organiser_client.get("/regions/07"))


@FUZZ
@given(fields=st.fixed_dictionaries({
    name: NASTY_TEXT for name in ("email", "name", "role", "region", "password")
}))
def test_admin_user_form(client, auth, admin, fields):
    auth.login(admin)
    before = count(User)
    response = client.post("/admin/users/new", data=fields)
    assert_safe(response)
    if response.status_code != 302:
        assert count(User) == before
    assert_safe(client.get("/admin/users"))


# Visit requests, proposals, region contacts and the overview

VISIT_FIELDS = (
    "region", "contact_name", "contact_email", "contact_phone", "organisation", "kind", "period_start",
    "period_end", "period_text", "audience_size", "message", "consent",
)


@FUZZ
@given(fields=st.fixed_dictionaries({name: NASTY_TEXT for name in VISIT_FIELDS}),
       sectors=st.lists(NASTY_TEXT, max_size=4))
def test_visit_request_form(client, fields, sectors):
    from app.models import VisitRequest

    before = count(VisitRequest)
    response = client.post("/visit", data={**fields, "audience_sectors": sectors})
    assert_safe(response)
    if response.status_code != 302:
        assert count(VisitRequest) == before
    else:
        assert_safe(client.get(response.headers["Location"]))


@pytest.fixture
def proposal(organiser):
    from app.services import visits
    from app.services.visits import VisitDetails

    return visits.propose(VisitDetails(
        region_code="07", contact_name="Eva", contact_email="eva@example.se", kind="workshop", period_text="våren",
        message="Hej",
    ), organiser, locale="sv")


@FUZZ
@given(choice=NASTY_TEXT, start=NASTY_TEXT, end=NASTY_TEXT, words=NASTY_TEXT, message=NASTY_TEXT)
def test_proposal_answer_form(client, proposal, choice, start, end, words, message):
    response = client.post(f"/visit/{proposal.token}/answer", data={
        "choice": choice, "period_start": start, "period_end": end, "period_text": words, "message": message,
    })
    assert_safe(response)
    assert_safe(client.get(f"/visit/{proposal.token}"))


@FUZZ
@given(token=NASTY_TEXT)
def test_visit_status_links(client, token):
    from urllib.parse import quote

    assert_safe(client.get("/visit/" + quote(token, safe="")))


@FUZZ
@given(fields=st.fixed_dictionaries({name: NASTY_TEXT for name in (*VISIT_FIELDS, "locale")}))
def test_visit_proposal_form(organiser_client, fields):
    from app.models import VisitRequest

    before = count(VisitRequest)
    response = organiser_client.post("/manage/visits/propose", data=fields)
    assert_safe(response)
    if response.status_code != 302:
        assert count(VisitRequest) == before


@FUZZ
@given(body=NASTY_TEXT, assignee=NASTY_TEXT, message=NASTY_TEXT)
def test_visit_actions(organiser_client, proposal, body, assignee, message):
    url = f"/manage/visits/{proposal.id}"
    for action, data in (("note", {"note-body": body}), ("answer", {"answer-body": body}),
                         ("assign", {"assignee": assignee}), ("decline", {"decline-message": message})):
        assert_safe(organiser_client.post(f"{url}/{action}", data=data))
    assert_safe(organiser_client.get(url))


@FUZZ
@given(fields=st.fixed_dictionaries({name: NASTY_TEXT for name in ("name", "role", "organisation", "email", "phone")}))
def test_region_contact_form(organiser_client, fields):
    from app.models import RegionContact

    before = count(RegionContact)
    response = organiser_client.post("/regions/07/contacts", data=fields)
    assert_safe(response)
    if response.status_code != 302:
        assert count(RegionContact) == before
    assert_safe(organiser_client.get("/regions/07"))


@FUZZ
@given(params=st.fixed_dictionaries({name: NASTY_TEXT for name in (
    "sort", "dir", "measure", "kind", "status", "region", "origin", "assignee", "q", "page", "contact",
)}))
def test_overview_and_queue_parameters(organiser_client, params):
    for url in ("/manage/overview", "/manage/overview.csv", "/manage/visits", "/manage/visits/propose", "/visit"):
        assert_safe(organiser_client.get(url, query_string=params))


@pytest.fixture
def survey_event(make_event, organiser):
    from tests.feedback_data import participant, past_event, survey_for

    event = past_event(make_event, organiser)
    survey = survey_for(event, anonymous=False)
    participant(event)
    return event, survey


@FUZZ
@given(values=st.lists(st.one_of(NASTY_TEXT, st.lists(NASTY_TEXT, max_size=3)), min_size=6, max_size=6))
def test_survey_answer_form(client, survey_event, values):
    from app.models import SurveyAnswer, SurveyLink, SurveyResponse
    from app.services import surveys

    event, survey = survey_event
    surveys.send_due_survey_mail()
    token = db.session.scalar(select(SurveyLink.token))
    answers_before = count(SurveyAnswer)
    form = {question.field_name: value for question, value in zip(survey.questions, values, strict=True)}
    response = client.post(f"/s/{token}", data=form)
    assert_safe(response)
    if response.status_code != 302:
        assert count(SurveyAnswer) == answers_before  # refused answers save nothing
    assert count(SurveyResponse) <= 1
    assert_safe(client.get(f"/s/{token}"))


@FUZZ
@given(fields=st.fixed_dictionaries({
    name: NASTY_TEXT for name in (
        "kind", "text_sv", "text_en", "required", "low_label_sv", "low_label_en", "high_label_sv", "high_label_en",
        "options_sv", "options_en",
    )
}))
def test_survey_question_form(organiser_client, survey_event, fields):
    from app.models import SurveyOption, SurveyQuestion

    event, survey = survey_event
    before = count(SurveyQuestion), count(SurveyOption)
    response = organiser_client.post(f"/manage/events/{event.id}/feedback/questions/new", data=fields)
    assert_safe(response)
    if response.status_code != 302:
        assert (count(SurveyQuestion), count(SurveyOption)) == before
    assert_safe(organiser_client.get(f"/manage/events/{event.id}/feedback/questions"))
    assert_safe(organiser_client.get(f"/manage/events/{event.id}/feedback"))


@FUZZ
@given(fields=st.fixed_dictionaries({
    name: NASTY_TEXT for name in ("anonymous", "opens_at", "closes_at", "reminder_days")
}))
def test_survey_settings_form(organiser_client, survey_event, fields):
    from app.models import Survey

    event, survey = survey_event

    def settings():
        db.session.expire_all()
        stored = db.session.get(Survey, survey.id)
        return stored.anonymous, stored.opens_at, stored.closes_at, stored.reminder_days

    before = settings()
    response = organiser_client.post(f"/manage/events/{event.id}/feedback/settings", data=fields)
    assert_safe(response)
    if response.status_code != 302:
        assert settings() == before
    assert_safe(organiser_client.get(f"/manage/events/{event.id}/feedback"))


@FUZZ
@given(sector=NASTY_TEXT, municipality=NASTY_TEXT)
def test_feedback_filters(organiser_client, survey_event, sector, municipality):
    event, _ = survey_event
    for path in ("feedback", "feedback.csv"):
        assert_safe(organiser_client.get(f"/manage/events/{event.id}/{path}",
                                         query_string={"sector": sector, "municipality": municipality}))


@pytest.fixture
def invitation_event(organiser, make_event):
    return make_event(organisers=[organiser], invitation_only=True)


@FUZZ
@given(addresses=NASTY_TEXT, language=NASTY_TEXT)
def test_invitation_list_form(organiser_client, invitation_event, addresses, language):
    from app.models import Invitation

    response = organiser_client.post(
        f"/manage/events/{invitation_event.id}/invitations/new", data={"addresses": addresses, "language": language},
    )
    assert_safe(response)
    assert count(Invitation) == 0  # only a preview, never an invitation
    if response.status_code == 302:
        preview = response.headers["Location"]
        assert_safe(organiser_client.get(preview))
        assert_safe(organiser_client.get(preview, query_string={"page": language, "show": addresses}))
        assert_safe(organiser_client.post(preview, data={"expected": addresses}))


@FUZZ
@given(data=st.binary(max_size=3000), name=NASTY_TEXT)
def test_invitation_file_upload(organiser_client, invitation_event, data, name):
    from io import BytesIO

    response = organiser_client.post(
        f"/manage/events/{invitation_event.id}/invitations/new",
        data={"file": (BytesIO(data), name or "x.csv")}, content_type="multipart/form-data",
    )
    assert_safe(response)
    if response.status_code == 302:
        assert_safe(organiser_client.get(response.headers["Location"]))


@FUZZ
@given(q=NASTY_TEXT, status=NASTY_TEXT, region=NASTY_TEXT, sector=NASTY_TEXT, chosen=NASTY_TEXT)
def test_invitation_and_contact_lists_and_choices(organiser_client, invitation_event, q, status, region, sector,
                                                  chosen):
    base = f"/manage/events/{invitation_event.id}/invitations"
    filters = {"q": q, "region": region, "sector": sector}
    assert_safe(organiser_client.get(base, query_string={"q": q, "status": status, "page": region}))
    assert_safe(organiser_client.get(base + "/from-contacts", query_string=filters))
    assert_safe(organiser_client.get("/manage/contacts", query_string={"q": q, "region": region, "sector": sector}))
    assert_safe(organiser_client.post(base + "/from-contacts", data={"chosen": chosen, "language": status}))
    assert_safe(organiser_client.post(base + "/remind", data={"chosen": chosen}))
    assert_safe(organiser_client.post("/manage/contacts/from-event", data={"event": chosen}))
    participants = f"/manage/events/{invitation_event.id}/participants"
    assert_safe(organiser_client.get(participants, query_string={"q": q, "status": status, "sector": sector}))


@FUZZ
@given(fields=st.fixed_dictionaries({
    name: NASTY_TEXT for name in (
        "name", "email", "organisation", "sector", "municipality", "region", "locale", "consent_note",
    )
}))
def test_contact_form(organiser_client, fields):
    from app.models import Contact

    before = count(Contact)
    response = organiser_client.post("/manage/contacts/new", data=fields)
    assert_safe(response)
    if response.status_code != 302:
        assert count(Contact) == before
    assert_safe(organiser_client.get("/manage/contacts"))


@FUZZ
@given(addresses=NASTY_TEXT, region=NASTY_TEXT, note=NASTY_TEXT)
def test_contact_import_form(organiser_client, addresses, region, note):
    from app.models import Contact

    before = count(Contact)
    response = organiser_client.post(
        "/manage/contacts/import", data={"addresses": addresses, "region": region, "consent_note": note},
    )
    assert_safe(response)
    assert count(Contact) == before
    if response.status_code == 302:
        assert_safe(organiser_client.get(response.headers["Location"]))


@FUZZ
@given(fields=st.fixed_dictionaries({
    name: NASTY_TEXT for name in (
        "name", "email", "organisation", "sector", "municipality", "dietary_needs", "accessibility_needs",
        "consent", "keep_informed",
    )
}))
def test_invitation_registration_form(client, organiser, invitation_event, fields):
    from app.models import Invitation, Registration
    from app.services import invitations

    if not count(Invitation):
        invitations.import_rows(invitation_event, "anna@example.se", organiser)
    token = db.session.scalar(select(Invitation.token))
    before = count(Registration)
    response = client.post(f"/i/{token}", data=fields)
    assert_safe(response)
    if response.status_code != 302:
        assert count(Registration) == before
    for registration in db.session.scalars(select(Registration)):
        assert registration.email == "anna@example.se"  # whatever was posted


@pytest.mark.parametrize("page", ["9" * 40, "-" + "9" * 30, "²", "٩" * 25, "1e309", " 99999999999999999999 "])
def test_a_page_number_beyond_any_list_is_safe(organiser_client, invitation_event, page):
    for url in ("/", "/manage/", "/manage/contacts", f"/manage/events/{invitation_event.id}/invitations",
                f"/manage/events/{invitation_event.id}/participants"):
        assert_safe(organiser_client.get(url, query_string={"page": page}))
