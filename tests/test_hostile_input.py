"""Hostile input to every form and API parameter: never a 500, never half-saved,
always shown escaped. Property-based, so new kinds of bad input are found for us."""

import logging
from urllib.parse import urlencode

import pytest
from flask import Request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import ImmutableMultiDict

from app.extensions import db
from app.models import Event, RegionStepRecord, Role, User
from tests.conftest import PASSWORD, region
from tests.test_route_security import fill

NASTY_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=5000),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            "'; DROP TABLE event; --",
            "1 OR 1=1",
            "\x00",
            "a\x00b",
            "\u202egnp.exe",
            "Ünïcödé ÅÄÖ åäö ØÆ 漢字 🙂",
            "\r\n\t\x1b[31m",
            "9" * 40,
            "-1",
            "0",
            "2027-02-30T25:61",
            "0001-01-01T00:00",
            "9999-12-31T23:59",
            "NaN",
            "1e309",
            "javascript:alert(1)",
            "https://" + "a" * 600 + ".se",
            "",
            " ",
            "%00",
            "../../etc/passwd",
            # Each of these once answered 500 somewhere (see HOSTILE_QUERY_VALUES below).
            "²",
            "٣",
            "0001-01-01",
            "9999-12-31",
            "/\n/x",
            "endpoint",
            "Ⅻ",
        ]
    ),
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
    response = client.get(
        "/api/v1/events",
        query_string={
            "region": region,
            "kind": kind,
            "from": start,
            "to": end,
            "page": page,
            "per_page": per_page,
        },
    )
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
@given(
    fields=st.fixed_dictionaries(
        {
            name: NASTY_TEXT
            for name in (
                "title",
                "kind",
                "region",
                "description",
                "starts_at",
                "ends_at",
                "venue_name",
                "venue_address",
                "venue_city",
                "online_url",
                "capacity",
                "registration_opens_at",
                "registration_closes_at",
                "organisers",
            )
        }
    )
)
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
@given(fields=st.fixed_dictionaries({name: NASTY_TEXT for name in ("email", "name", "role", "region", "password")}))
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
    "region",
    "contact_name",
    "contact_email",
    "contact_phone",
    "organisation",
    "kind",
    "period_start",
    "period_end",
    "period_text",
    "audience_size",
    "message",
    "consent",
)


@FUZZ
@given(
    fields=st.fixed_dictionaries({name: NASTY_TEXT for name in VISIT_FIELDS}), sectors=st.lists(NASTY_TEXT, max_size=4)
)
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

    return visits.propose(
        VisitDetails(
            region_code="07",
            contact_name="Eva",
            contact_email="eva@example.se",
            kind="workshop",
            period_text="våren",
            message="Hej",
        ),
        organiser,
        locale="sv",
    )


@FUZZ
@given(choice=NASTY_TEXT, start=NASTY_TEXT, end=NASTY_TEXT, words=NASTY_TEXT, message=NASTY_TEXT)
def test_proposal_answer_form(client, proposal, choice, start, end, words, message):
    response = client.post(
        f"/visit/{proposal.token}/answer",
        data={
            "choice": choice,
            "period_start": start,
            "period_end": end,
            "period_text": words,
            "message": message,
        },
    )
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
    for action, data in (
        ("note", {"note-body": body}),
        ("answer", {"answer-body": body}),
        ("assign", {"assignee": assignee}),
        ("decline", {"decline-message": message}),
    ):
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
@given(
    params=st.fixed_dictionaries(
        {
            name: NASTY_TEXT
            for name in (
                "sort",
                "dir",
                "measure",
                "kind",
                "status",
                "region",
                "origin",
                "assignee",
                "q",
                "page",
                "contact",
            )
        }
    )
)
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
@given(
    fields=st.fixed_dictionaries(
        {
            name: NASTY_TEXT
            for name in (
                "kind",
                "text_sv",
                "text_en",
                "required",
                "low_label_sv",
                "low_label_en",
                "high_label_sv",
                "high_label_en",
                "options_sv",
                "options_en",
            )
        }
    )
)
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
@given(
    fields=st.fixed_dictionaries({name: NASTY_TEXT for name in ("anonymous", "opens_at", "closes_at", "reminder_days")})
)
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
        assert_safe(
            organiser_client.get(
                f"/manage/events/{event.id}/{path}", query_string={"sector": sector, "municipality": municipality}
            )
        )


@pytest.fixture
def invitation_event(organiser, make_event):
    return make_event(organisers=[organiser], invitation_only=True)


@FUZZ
@given(addresses=NASTY_TEXT, language=NASTY_TEXT)
def test_invitation_list_form(organiser_client, invitation_event, addresses, language):
    from app.models import Invitation

    response = organiser_client.post(
        f"/manage/events/{invitation_event.id}/invitations/new",
        data={"addresses": addresses, "language": language},
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
        data={"file": (BytesIO(data), name or "x.csv")},
        content_type="multipart/form-data",
    )
    assert_safe(response)
    if response.status_code == 302:
        assert_safe(organiser_client.get(response.headers["Location"]))


@FUZZ
@given(q=NASTY_TEXT, status=NASTY_TEXT, region=NASTY_TEXT, sector=NASTY_TEXT, chosen=NASTY_TEXT)
def test_invitation_and_contact_lists_and_choices(
    organiser_client, invitation_event, q, status, region, sector, chosen
):
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
@given(
    fields=st.fixed_dictionaries(
        {
            name: NASTY_TEXT
            for name in (
                "name",
                "email",
                "organisation",
                "sector",
                "municipality",
                "region",
                "locale",
                "consent_note",
            )
        }
    )
)
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
        "/manage/contacts/import",
        data={"addresses": addresses, "region": region, "consent_note": note},
    )
    assert_safe(response)
    assert count(Contact) == before
    if response.status_code == 302:
        assert_safe(organiser_client.get(response.headers["Location"]))


@FUZZ
@given(
    fields=st.fixed_dictionaries(
        {
            name: NASTY_TEXT
            for name in (
                "name",
                "email",
                "organisation",
                "sector",
                "municipality",
                "dietary_needs",
                "accessibility_needs",
                "consent",
                "keep_informed",
            )
        }
    )
)
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
    for url in (
        "/",
        "/manage/",
        "/manage/contacts",
        f"/manage/events/{invitation_event.id}/invitations",
        f"/manage/events/{invitation_event.id}/participants",
    ):
        assert_safe(organiser_client.get(url, query_string={"page": page}))


REGISTRATION_FIELDS = (
    "name",
    "email",
    "organisation",
    "sector",
    "municipality",
    "dietary_needs",
    "accessibility_needs",
    "consent",
    "keep_informed",
)


@FUZZ
@given(fields=st.fixed_dictionaries({name: NASTY_TEXT for name in REGISTRATION_FIELDS}))
def test_public_registration_and_manage_forms(client, make_event, fields):
    from app.models import Registration

    event = db.session.scalar(select(Event).where(Event.title == "Öppen dag")) or make_event(
        title="Öppen dag",
        capacity=3,
    )
    before = count(Registration)
    response = client.post(f"/events/{event.id}/register", data=fields)
    assert_safe(response)
    if response.status_code not in (302, 200):
        assert count(Registration) == before
    for registration in db.session.scalars(select(Registration)):
        manage = f"/r/{registration.manage_token}"
        assert_safe(client.post(manage, data=fields))
        assert_safe(client.get(manage))


# Every route with query parameters, every class of malformed value

# Values that once answered 500 somewhere, by class; each is tried on every parameter of every GET route.
HOSTILE_QUERY_VALUES = {
    "unicode digits": ["²", "٣", "𝟗", "Ⅻ"],  # str.isdigit() takes "²", int() does not; int() takes "٣"
    "date extremes": ["0001-01-01", "9999-12-31", "2027-02-30", "0001-01-01T00:00", "9999-12-31T23:59"],
    "numbers": ["9" * 40, "-1", "0", "1e309", " 7 "],
    "control characters": ["/\n/x", "/\t/evil.example/path", "\x7f", "\u2028", b"\xed\xa0\x80"],  # bytes: not UTF-8
    "not same-site": ["//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)"],
    "long": ["a" * 20_000],
}
# url_for's own keywords, which a view passing the query string on to url_for would collide with.
RESERVED_URL_FOR_KEYWORDS = ("endpoint", "_external", "_anchor", "_method", "_scheme")
KNOWN_PARAMETERS = {
    "page",
    "per_page",
    "region",
    "kind",
    "from",
    "to",
    "next",
    "after",
    "contact",
    "q",
    "status",
    "sector",
    "municipality",
    "sort",
    "dir",
    "measure",
    "origin",
    "assignee",
    "show",
}
# Values that take a route to the code behind its parameters (a known region, a kind, a second page).
PLAUSIBLE = {
    "region": "05",
    "kind": "inspiration_day",
    "page": "2",
    "status": "confirmed",
    "sector": "municipality",
    "from": "2020-01-01",
    "to": "2100-01-01",
    "per_page": "1",
}


class RecordingArgs(ImmutableMultiDict):
    """The query string, noting which names the code looks up (a form looks up each of its fields)."""

    read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):
        self.read.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        self.read.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


class RecordingRequest(Request):
    """A request whose query string notes the names the app reads from it."""

    @property
    def args(self):
        if "_recorded_args" not in self.__dict__:
            self.__dict__["_recorded_args"] = RecordingArgs(Request.args.__get__(self, type(self)))
        return self.__dict__["_recorded_args"]


@pytest.fixture
def every_route_world(make_user, make_event, make_item):
    """Something behind every path parameter, and two of everything so that every list has pages."""
    from datetime import timedelta

    from app.models import Contact, ContactSource, Invitation, OutboxMessage, SurveyLink
    from app.services import invitations, regions, registrations, surveys, visits
    from app.services.invitations import contacts
    from app.services.invitations.contacts import ContactDetails
    from app.services.regions import ContactDetails as RegionContactDetails
    from app.services.registrations import RegistrationDetails
    from app.services.visits import VisitDetails
    from tests.feedback_data import participant, past_event

    admin = make_user(name="Ada Admin", role=Role.ADMIN)
    event = make_event(organisers=[admin], capacity=10)
    make_event(organisers=[admin])
    held = past_event(make_event, admin)
    past_event(make_event, admin, days_ago=3)
    item = make_item(event, "Välkommen", event.starts_at, event.starts_at + timedelta(hours=1))
    people = [
        registrations.register(
            event,
            RegistrationDetails(
                name=f"Person {n}",
                email=f"person{n}@example.se",
                sector="municipality",
                consent=True,
            ),
            locale="sv",
        ).registration
        for n in (1, 2)
    ]
    invitations.import_rows(event, "anna@example.se\nbo@example.se", admin)
    for n in (1, 2):
        contacts.create(ContactDetails(email=f"kontakt{n}@example.se", name=f"Kontakt {n}", region_code="05"), admin)
    region_contact = regions.add_contact(region("05"), RegionContactDetails(name="Rut", email="rut@example.se"), admin)
    participant(held)
    survey = surveys.create_from_template(held, admin)
    surveys.send_due_survey_mail()
    requests = [
        visits.submit_request(
            VisitDetails(
                region_code="05",
                contact_name="Vera",
                contact_email=f"vera{n}@example.se",
                kind="workshop",
                period_text="våren",
                message="Kom gärna",
                consent=True,
                audience_sectors=["municipality"],
            ),
            locale="sv",
        )
        for n in (1, 2)
    ]
    contact_batch = contacts.preview_import("ny@example.se", admin)
    invitation_batch = invitations.preview(event, "ny@example.se", admin)
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.attachments.any())).first()
    values = {
        "event_id": event.id,
        "item_id": item.id,
        "registration_id": people[0].id,
        "user_id": admin.id,
        "contact_id": db.session.scalar(select(Contact.id).where(Contact.source == ContactSource.MANUAL)),
        "invitation_id": db.session.scalar(select(Invitation.id)),
        "message_id": message.id,
        "attachment_id": message.attachments[0].id,
        "visit_id": requests[0].id,
        "question_id": survey.questions[0].id,
        "code": "05",
        "lang": "en",
        "filename": "favicon.svg",
    }
    # Paths whose parameters mean something else than the defaults above.
    special = {
        "/manage/events/<int:event_id>/feedback": {"event_id": held.id},
        "/manage/contacts/import/<int:batch_id>": {"batch_id": contact_batch.id},
        "/manage/events/<int:event_id>/invitations/preview": {"batch_id": invitation_batch.id},
        "/regions/<code>/contacts/<int:contact_id>": {"contact_id": region_contact.id},
        "/r/": {"token": people[0].manage_token},
        "/i/": {"token": db.session.scalar(select(Invitation.token))},
        "/u/": {"token": db.session.scalar(select(Contact.unsubscribe_token))},
        "/s/": {"token": db.session.scalar(select(SurveyLink.token))},
        "/visit/": {"token": requests[0].token},
    }
    plausible = {**PLAUSIBLE, "contact": str(region_contact.id), "after": str(item.id)}
    return {"admin": admin, "values": values, "special": special, "plausible": plausible}


def _url_values(rule, world) -> dict:
    values = dict(world["values"])
    for prefix, extra in world["special"].items():
        if rule.rule.startswith(prefix):
            values.update(extra)
    return values


def _get_routes(app):
    return sorted(
        (rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and rule.endpoint != "static"),
        key=lambda rule: rule.rule,
    )


def test_every_query_parameter_of_every_route_survives_hostile_values(
    app, client, auth, every_route_world, monkeypatch, caplog
):
    """Walks app.url_map; the parameters each GET route reads are found by watching it read them."""
    import sys

    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("app.") and isinstance(getattr(module, "PER_PAGE", None), int):
            monkeypatch.setattr(module, "PER_PAGE", 1)  # so that every list has a second page and links to it
    monkeypatch.setattr(app, "request_class", RecordingRequest)
    auth.login(every_route_world["admin"])
    failures, checked = [], 0

    def get(url, query):
        nonlocal checked
        checked += 1
        caplog.clear()
        try:
            # Encoded here: the test client cannot send bytes that are not UTF-8, which browsers can.
            response = client.get(url, query_string=urlencode(query, doseq=True))
        except Exception as error:  # reported with every other failure below
            failures.append((url, query, repr(error)[:200]))
            return None
        errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
        if response.status_code >= 500 or errors:
            failures.append((url, query, response.status_code, [record.getMessage() for record in errors]))
        return response

    plausible_values = every_route_world["plausible"]
    routes_with_parameters, found = 0, set()
    for rule in _get_routes(app):
        url = fill(rule, _url_values(rule, every_route_world))
        # Which names does the route read? Ask again with each found name set, for names read only then.
        RecordingArgs.read = set()
        get(url, {})
        names: set[str] = set()
        while RecordingArgs.read - names:
            names |= RecordingArgs.read
            RecordingArgs.read = set()
            get(url, {name: plausible_values.get(name, "1") for name in names})
        if names:
            routes_with_parameters += 1
            found |= names
        plausible = {name: plausible_values.get(name, "1") for name in names}
        for name in sorted(names):
            for values in HOSTILE_QUERY_VALUES.values():
                for value in values:
                    get(url, {**plausible, name: value})
            get(url, {**plausible, name: ["1", "²"]})  # the same name twice
        for keyword in (*RESERVED_URL_FOR_KEYWORDS, *rule.arguments):
            get(url, {keyword: "x", "page": "2"})
            get(url, {**plausible, keyword: "x"})
    assert not failures, "\n".join(map(repr, failures))
    # The walk found the parameters the views read (so it would find a new one too).
    assert KNOWN_PARAMETERS <= found, KNOWN_PARAMETERS - found
    assert routes_with_parameters >= 20, routes_with_parameters


OVERSIZED_CELLS = {
    "a long cell": "namn;e-post\n" + "A" * 140_000 + ";anna@example.se\n",
    "a quote never closed": 'e-post;namn\nanna@example.se;"Anna\n' + "bo@example.se;Bo\n" * 10_000,
    "a long header": "e-post;" + "n" * 140_000 + "\nanna@example.se\n",
}


@pytest.mark.parametrize("kind", OVERSIZED_CELLS)
@pytest.mark.parametrize("as_file", [False, True])
def test_an_address_list_with_a_cell_too_long_to_read_is_refused(organiser_client, invitation_event, kind, as_file):
    """Python's csv reader refuses cells over 131,072 characters: the organiser is told which line."""
    from io import BytesIO

    from app.models import Contact, ImportBatch, Invitation

    text = OVERSIZED_CELLS[kind]
    for url in (f"/manage/events/{invitation_event.id}/invitations/new", "/manage/contacts/import"):
        data = {"file": (BytesIO(text.encode()), "lista.csv")} if as_file else {"addresses": text}
        response = organiser_client.post(url, data=data, content_type="multipart/form-data")
        assert response.status_code == 400, url
        assert "gick inte att läsa: en cell är alldeles för lång" in response.get_data(as_text=True)
    assert count(ImportBatch) == count(Invitation) == count(Contact) == 0


# Every `next`: the same-site check, after the browser has normalised the address

OFF_SITE_TARGETS = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "/\t/evil.example/path",
    "/\n/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "\t//evil.example",
    "/\\/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,x",
    "http:/evil.example",
    "https:evil.example",
    "/\x00/evil.example",
    "/\u200b/evil.example",
    "/\u2028/evil.example",
    "evil.example",
    "",
    "/" * 3 + "evil",
    "/%2F%2Fevil.example",
]


def browser_target(location: str) -> str:
    """Where a browser goes for a Location: it drops tabs and newlines and reads "\\" as "/"."""
    for char in "\t\n\r":
        location = location.replace(char, "")
    return location.strip("\x00 ").replace("\\", "/")


def follow_next(client, organiser, route: str, target: str):
    if route == "/login":
        return client.post(
            "/login", query_string={"next": target}, data={"email": organiser.email, "password": PASSWORD}
        )
    return client.get(route, query_string={"next": target})


NEXT_ROUTES = ["/language/en", "/login"]  # every route that reads `next` (the walker above finds them)


@pytest.mark.parametrize("route", NEXT_ROUTES)
@pytest.mark.parametrize("target", OFF_SITE_TARGETS)
def test_next_never_leads_to_another_site(client, organiser, route, target):
    response = follow_next(client, organiser, route, target)
    if response.status_code == 400:
        assert "\x00" in target  # no request may carry a NUL byte (app/web/guards.py)
        return
    assert response.status_code == 302
    location = browser_target(response.headers["Location"])
    assert location.startswith("/") and not location.startswith("//"), response.headers["Location"]
    assert "evil" not in location or location == "/%2F%2Fevil.example"  # percent-encoded: a path here


@pytest.mark.parametrize("route", NEXT_ROUTES)
@pytest.mark.parametrize(
    "target",
    ["/regions/", "/events/7?kind=workshop&page=2", "/regions/05#kontakter", "/manage/visits?q=Anna%20Andersson"],
)
def test_next_within_the_site_is_followed(client, organiser, route, target):
    assert follow_next(client, organiser, route, target).headers["Location"] == target


def test_the_reported_open_redirect_is_closed(client):
    response = client.get("/language/sv?next=/%09/evil.example/path")
    assert response.headers["Location"] == "/"
