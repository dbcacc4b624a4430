"""Visit requests: the public form, the status link, the organisers' queue and actions,
accepting into a draft event, publishing it (scheduled), and proposals the other way."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.display.timezones import local_naive
from app.extensions import db, limiter
from app.models import (
    AuditEntry,
    Event,
    EventKind,
    EventStatus,
    OutboxMessage,
    VisitNote,
    VisitNoteKind,
    VisitOrigin,
    VisitRequest,
    VisitStatus,
)
from app.services import events, mail, visits
from app.services.visits import Period, VisitDetails, VisitStatusRefused
from tests.conftest import LimitedConfig, region
from tests.mailserver import html_part, text_part

SOON = date.today() + timedelta(days=60)
LATER = SOON + timedelta(days=30)

FORM = {
    "region": "07",
    "contact_name": "Karin Kronoberg",
    "contact_email": "Karin@Kronoberg.example.se",
    "contact_phone": "0470-123 45",
    "organisation": "Region Kronoberg",
    "kind": "inspiration_day",
    "period_start": SOON.isoformat(),
    "period_end": LATER.isoformat(),
    "period_text": "",
    "audience_sectors": ["municipality", "adult_education"],
    "audience_size": "80",
    "message": "Vi vill samla kommunerna.",
    "consent": "y",
}


def request_visit(client, **changes):
    data = {**FORM, **changes}
    return client.post("/visit", data={k: v for k, v in data.items() if v is not None})


def details(**changes) -> VisitDetails:
    fields = {
        "region_code": "07",
        "contact_name": "Karin Kronoberg",
        "contact_email": "karin@kronoberg.example.se",
        "kind": "inspiration_day",
        "period_start": SOON,
        "period_end": LATER,
        "audience_sectors": ["municipality"],
        "audience_size": 80,
        "consent": True,
        **changes,
    }
    return VisitDetails(**fields)


def only_visit() -> VisitRequest:
    db.session.expire_all()
    return db.session.scalars(select(VisitRequest)).one()


def outbox(template: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == template).order_by(OutboxMessage.id))
    )


def outbox_all() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def text(response) -> str:
    return response.get_data(as_text=True)


# The public form


def test_the_form_is_public_and_links_the_privacy_notice(client):
    response = client.get("/visit?region=07")
    page = text(response)
    assert response.status_code == 200
    assert "Vill du att vi kommer till din region?" in page
    assert 'href="/privacy"' in page
    assert '<option selected value="07">Kronoberg</option>' in page


def test_a_region_asks_for_a_visit_and_gets_a_confirmation_with_its_status_link(client):
    response = request_visit(client)

    visit = only_visit()
    assert response.status_code == 302 and response.headers["Location"] == f"/visit/{visit.token}"
    assert len(visit.token) == 43
    assert visit.origin == VisitOrigin.REQUEST and visit.status == VisitStatus.NEW
    assert visit.region.code == "07" and visit.kind == EventKind.INSPIRATION_DAY
    assert visit.contact_email == "karin@kronoberg.example.se"
    assert (visit.period_start, visit.period_end) == (SOON, LATER)
    assert visit.audience_sectors == ["municipality", "adult_education"] and visit.audience_size == 80
    assert visit.consent_at is not None and visit.privacy_notice_version == "2026-11"
    assert visit.locale == "sv"
    assert actions() == ["visit.requested"]
    [confirmation] = outbox("visit_received")
    assert confirmation.recipient == "karin@kronoberg.example.se"
    assert confirmation.subject == "Vi har tagit emot din besöksförfrågan"
    assert f"http://localhost/visit/{visit.token}" in confirmation.body_text

    page = client.get(f"/visit/{visit.token}")
    assert page.status_code == 200
    assert 'data-visit-status="new"' in text(page) and "Vi vill samla kommunerna." in text(page)
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert page.headers["Cache-Control"] == "no-store"


def test_a_period_in_words_is_enough(client):
    assert request_visit(client, period_start="", period_end="", period_text="Hösten 2027").status_code == 302
    visit = only_visit()
    assert visit.period_start is None and visit.period_text == "Hösten 2027"


def test_english_requests_get_english_mail(client):
    client.set_cookie("lang", "en")
    request_visit(client)
    [confirmation] = outbox("visit_received")
    assert confirmation.locale == "en" and confirmation.subject == "We have received your visit request"


PAST = (date.today() - timedelta(days=1)).isoformat()
FAR = (date.today() + timedelta(days=4 * 365)).isoformat()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"region": ""}, "region", "Välj en region."),
        ({"region": "99"}, "region", ""),
        ({"contact_name": " "}, "contact_name", "Ange ditt namn."),
        ({"contact_email": "inte en adress"}, "contact_email", "Ange en giltig e-postadress."),
        ({"contact_phone": "ring mig"}, "contact_phone", "Skriv ett telefonnummer med siffror"),
        ({"kind": "party"}, "kind", ""),
        ({"period_start": "", "period_end": "", "period_text": ""}, "period_start", "Ange en period"),
        ({"period_start": "", "period_end": LATER.isoformat()}, "period_start", "Ange det tidigaste datumet också."),
        ({"period_start": "14/3/2027"}, "period_start", "Ange ett datum som ÅÅÅÅ-MM-DD."),
        ({"period_start": PAST}, "period_start", "Datumet kan inte ha passerat."),
        ({"period_end": FAR}, "period_end", "Välj ett datum inom de närmaste tre åren."),
        (
            {"period_start": LATER.isoformat(), "period_end": SOON.isoformat()},
            "period_end",
            "Det senaste datumet måste vara samma dag som det tidigaste eller senare.",
        ),
        ({"audience_sectors": []}, "audience_sectors", "Välj minst en grupp som evenemanget är till för."),
        ({"audience_sectors": ["hackers"]}, "audience_sectors", "Välj grupper i listan."),
        ({"audience_size": "0"}, "audience_size", "Skriv ett tal från 1 till 10000."),
        # One message that says what to type, not WTForms' "Not a valid integer value" before it.
        (
            {"audience_size": "many"},
            "audience_size",
            '-error" class="invalid-feedback d-block">Skriv ett tal från 1 till 10000.</div>',
        ),
        ({"message": "x" * 4001}, "message", "Högst 4000 tecken."),
        ({"consent": None}, "consent", "Du behöver godkänna integritetspolicyn för att skicka förfrågan."),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_saves_nothing(client, changes, field, message):
    response = request_visit(client, **changes)
    assert response.status_code == 400
    page = text(response)
    assert f'id="{field}-error"' in page, field
    assert message in page
    assert count(VisitRequest) == 0 and count(OutboxMessage) == 0


def test_the_form_is_rate_limited_per_address_with_a_translated_page(make_app):
    app = make_app(LimitedConfig)
    client = app.test_client()
    try:
        with app.app_context():
            assert request_visit(client, audience_size="many").status_code == 400  # refused input does not count
            for _ in range(5):
                assert request_visit(client).status_code == 302
            response = request_visit(client)
            assert response.status_code == 429
            assert "För många försök" in text(response)
            assert count(VisitRequest) == 5
    finally:
        limiter.reset()
        limiter.enabled = False


# The status link


def test_a_tampered_or_unknown_link_gets_a_friendly_404(client):
    request_visit(client)
    token = only_visit().token
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), token[:-1], token + "x", "x" * 43, "x" * 42 + "!"):
        response = client.get(f"/visit/{bad}")
        assert response.status_code == 404, bad
        assert "Länken är inte giltig" in text(response)


def test_each_link_opens_only_its_own_request(client):
    request_visit(client, contact_name="Karin Kronoberg")
    request_visit(client, region="20", contact_name="Dan Dalarna", contact_email="dan@example.se")
    karin, dan = db.session.scalars(select(VisitRequest).order_by(VisitRequest.id)).all()
    page = text(client.get(f"/visit/{karin.token}"))
    assert "Karin Kronoberg" in page and "Dan Dalarna" not in page and "Dalarna" not in page


def test_the_requester_sees_answers_but_never_internal_notes(client, organiser):
    request_visit(client)
    visit = only_visit()
    visits.add_note(visit, "Budgeten är tight, kolla med chefen.", organiser)
    visits.answer(visit, "Tack! Vi återkommer med datum.", organiser)

    page = text(client.get(f"/visit/{visit.token}"))
    assert "Tack! Vi återkommer med datum." in page
    assert "Budgeten" not in page
    assert visit.status == VisitStatus.IN_REVIEW  # answering a new request takes it into review
    [answer] = outbox("visit_answered")
    assert "Tack! Vi återkommer med datum." in answer.body_text and "Budgeten" not in answer.body_text


def test_organiser_pages_need_a_login(client):
    request_visit(client)
    visit = only_visit()
    for url in (
        "/manage/visits",
        f"/manage/visits/{visit.id}",
        "/manage/visits/propose",
        "/manage/overview",
        "/manage/overview.csv",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    for url in (
        f"/manage/visits/{visit.id}/accept",
        f"/manage/visits/{visit.id}/decline",
        f"/manage/visits/{visit.id}/note",
        f"/manage/visits/{visit.id}/answer",
    ):
        response = client.post(url, data={"accept-message": "x", "decline-message": "x", "note-body": "x"})
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    assert only_visit().status == VisitStatus.NEW and count(VisitNote) == 0


# The organisers' queue and actions


@pytest.fixture
def logged_in(client, auth, organiser):
    auth.login(organiser)
    return organiser


def test_the_queue_lists_open_requests_with_filters(client, logged_in, make_user):
    visits.submit_request(details(), locale="sv")
    visits.submit_request(details(region_code="20", contact_name="Dan Dalarna"), locale="sv")
    declined = visits.submit_request(details(region_code="12", contact_name="Sara Skåne"), locale="sv")
    visits.decline(declined, logged_in)

    page = text(client.get("/manage/visits"))
    assert "Karin Kronoberg" in page and "Dan Dalarna" in page and "Sara Skåne" not in page
    page = text(client.get("/manage/visits?region=20"))
    assert "Dan Dalarna" in page and "Karin Kronoberg" not in page
    page = text(client.get("/manage/visits?status=declined"))
    assert "Sara Skåne" in page and "Dan Dalarna" not in page
    page = text(client.get("/manage/visits?status=all&q=dalarna"))
    assert "Dan Dalarna" in page and "Karin" not in page
    page = text(client.get("/manage/visits?status=nonsense&region=<b>"))
    assert "Okänt val" in page and "Karin Kronoberg" in page


def test_the_queue_makes_the_same_number_of_queries_however_many_requests(client, logged_in, count_queries):
    # One of each kind, so every eager load runs already (an unassigned list needs none).
    first = visits.submit_request(details(), locale="sv")
    visits.start_review(first, logged_in)
    visits.accept(first, logged_in)
    with count_queries() as few:
        assert client.get("/manage/visits").status_code == 200
    for n in range(8):
        visit = visits.submit_request(details(region_code=["01", "05", "12", "20"][n % 4]), locale="sv")
        visits.start_review(visit, logged_in)
        if n % 2:
            visits.accept(visit, logged_in)
    with count_queries() as many:
        assert client.get("/manage/visits").status_code == 200
    assert len(many) == len(few)


def test_assign_note_review_decline_and_reopen_are_logged(client, logged_in, make_user):
    colleague = make_user(name="Kalle Kollega")
    visit = visits.submit_request(details(), locale="sv")
    url = f"/manage/visits/{visit.id}"

    assert client.post(f"{url}/review").status_code == 302
    assert client.post(f"{url}/assign", data={"assignee": str(colleague.id)}).status_code == 302
    assert client.post(f"{url}/note", data={"note-body": "Ring Karin."}).status_code == 302
    response = client.post(f"{url}/note", data={"note-body": "  "})
    assert response.status_code == 400 and "Skriv något först." in text(response)
    assert client.post(f"{url}/assign", data={"assignee": "999999"}).status_code == 400
    assert client.post(f"{url}/decline", data={"decline-message": "Inte i år, tyvärr."}).status_code == 302
    visit = only_visit()
    assert visit.status == VisitStatus.DECLINED and visit.assignee == colleague
    [declined] = outbox("visit_declined")
    assert "Inte i år, tyvärr." in declined.body_text
    assert client.post(f"{url}/decline").status_code == 302  # refused: already declined
    assert len(outbox("visit_declined")) == 1
    assert client.post(f"{url}/reopen").status_code == 302
    assert only_visit().status == VisitStatus.IN_REVIEW

    assert actions() == [
        "visit.requested",
        "visit.in_review",
        "visit.assigned",
        "visit.noted",
        "visit.declined",
        "visit.reopened",
    ]
    page = text(client.get(url))
    assert "Ring Karin." in page and "Intern anteckning" in page
    assert "Tilldelade besöksförfrågan" in page and "Öppnade besöksförfrågan igen" in page


@pytest.mark.parametrize(
    "action, field",
    [
        ("note", "note-body"),
        ("answer", "answer-body"),
        ("accept", "accept-message"),
        ("decline", "decline-message"),
    ],
)
def test_a_problem_on_any_form_of_a_request_shows_next_to_its_field_and_changes_nothing(
    client, logged_in, action, field
):
    visit = visits.submit_request(details(), locale="sv")
    response = client.post(f"/manage/visits/{visit.id}/{action}", data={field: "x" * 4001})
    assert response.status_code == 400
    assert f'id="{field}-error" class="invalid-feedback d-block">Högst 4000 tecken.</div>' in text(response)
    assert only_visit().status == VisitStatus.NEW
    assert count(VisitNote) == count(Event) == 0 and [m.template for m in outbox_all()] == ["visit_received"]


def test_accepting_makes_a_linked_draft_event_prefilled_from_the_request(client, logged_in):
    visit = visits.submit_request(details(), locale="sv")

    response = client.post(f"/manage/visits/{visit.id}/accept", data={"accept-message": "Vi kommer gärna!"})

    visit = only_visit()
    event = visit.event
    assert response.status_code == 302 and response.headers["Location"] == f"/manage/events/{event.id}/edit"
    assert visit.status == VisitStatus.ACCEPTED
    assert event.status == EventStatus.DRAFT and event.title == "Inspirationsdag i Kronoberg"
    assert event.region.code == "07" and event.kind == EventKind.INSPIRATION_DAY and event.capacity == 80
    assert local_naive(event.starts_at).isoformat() == f"{SOON.isoformat()}T09:00:00"
    assert local_naive(event.ends_at).isoformat() == f"{SOON.isoformat()}T16:00:00"
    assert event.organisers == [logged_in]
    [accepted] = outbox("visit_accepted")
    assert "Vi kommer gärna!" in accepted.body_text
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.event_id == event.id)).all()
    assert {e.action for e in entries} == {"event.created", "visit.accepted"}
    assert "Gjord av en besöksförfrågan från Kronoberg" in text(client.get(f"/manage/events/{event.id}"))
    # Accepting twice makes no second event.
    assert client.post(f"/manage/visits/{visit.id}/accept").status_code == 302
    assert count(Event) == 1


def test_accepting_asks_first_and_a_look_at_the_question_changes_nothing(client, logged_in):
    visit = visits.submit_request(details(), locale="sv")
    accept_path = f"/manage/visits/{visit.id}/accept"
    page = text(client.get(f"/manage/visits/{visit.id}"))
    assert f'href="{accept_path}"' in page
    assert f'action="{accept_path}"' not in page  # no one-click accept

    response = client.get(accept_path)
    assert response.status_code == 200
    page = text(response)
    assert "Vill du godkänna förfrågan från Karin Kronoberg?" in page
    assert "karin@kronoberg.example.se" in page  # who is mailed
    assert "Meddelande med godkännandet (frivilligt)" in page
    assert "Ja, godkänn och gör ett utkast" in page
    assert f'href="/manage/visits/{visit.id}">Nej, tillbaka till förfrågan</a>' in page
    assert only_visit().status == VisitStatus.NEW and count(Event) == 0 and outbox("visit_accepted") == []

    response = client.post(accept_path, data={"accept-message": "x" * 4001})
    assert response.status_code == 400
    assert "Vill du godkänna förfrågan" in text(response) and 'id="accept-message-error"' in text(response)
    assert count(Event) == 0

    visits.decline(only_visit(), logged_in)
    response = client.get(accept_path)
    assert response.status_code == 302 and response.headers["Location"] == f"/manage/visits/{visit.id}"
    assert "Det går inte med förfrågans nuvarande status" in text(client.get(response.headers["Location"]))


def test_a_draft_without_a_venue_cannot_be_published(client, logged_in):
    visit = visits.submit_request(details(), locale="sv")
    event = visits.accept(visit, logged_in)
    response = client.post(f"/manage/events/{event.id}/publish", follow_redirects=True)
    assert "Gör klart evenemanget först: Ange en plats" in text(response)
    db.session.expire_all()
    assert event.status == EventStatus.DRAFT and only_visit().status == VisitStatus.ACCEPTED


def test_publishing_the_event_schedules_the_request_and_mails_the_requester_its_link(client, logged_in, mail_server):
    request_visit(client)
    visit = only_visit()
    client.post(f"/manage/visits/{visit.id}/accept")
    event = only_visit().event
    event.venue_name, event.venue_city = "Regionhuset", "Växjö"
    db.session.commit()

    response = client.post(f"/manage/events/{event.id}/publish")

    assert response.status_code == 302
    visit = only_visit()
    assert visit.status == VisitStatus.SCHEDULED and visit.event.status == EventStatus.PUBLISHED
    assert actions()[-2:] == ["event.published", "visit.scheduled"]
    mail.deliver_due()
    received = mail_server.to("karin@kronoberg.example.se")
    assert [m["Subject"] for m in received] == [
        "Vi har tagit emot din besöksförfrågan",
        "Din besöksförfrågan är godkänd",
        "Ert besök är planerat: Inspirationsdag i Kronoberg",
    ]
    scheduled = received[-1]
    assert f"http://localhost/events/{event.id}" in text_part(scheduled)
    assert f"http://localhost/events/{event.id}" in html_part(scheduled)
    link = re.search(r"http://localhost(/visit/[\w-]{43})", text_part(received[0])).group(1)
    page = text(client.get(link))
    assert 'data-visit-status="scheduled"' in page and f'href="/events/{event.id}"' in page


def test_publishing_an_event_without_a_request_changes_no_request(make_event, organiser):
    visits.submit_request(details(), locale="sv")
    draft = make_event(status=EventStatus.DRAFT)
    events.publish_event(draft, organiser)
    assert only_visit().status == VisitStatus.NEW


def test_a_deleted_draft_leaves_the_request_accepted_and_it_can_be_accepted_again(client, logged_in):
    visit = visits.submit_request(details(), locale="sv")
    event = visits.accept(visit, logged_in)
    events.delete_draft(event, logged_in)
    visit = only_visit()
    assert visit.status == VisitStatus.ACCEPTED and visit.event_id is None
    assert "Utkastet som gjordes av förfrågan har tagits bort" in text(client.get(f"/manage/visits/{visit.id}"))
    new_event = visits.accept(visit, logged_in)
    assert only_visit().event_id == new_event.id


def test_a_request_without_dates_gets_a_weekday_some_weeks_ahead():
    visit = VisitRequest(period_start=None, kind=EventKind.WEBINAR)
    day = visits.suggested_day(visit, today=date(2027, 1, 1))  # a Friday; eight weeks on is a Friday too
    assert day == date(2027, 2, 26) and day.weekday() < 5
    assert visits.suggested_day(visit, today=date(2027, 1, 2)) == date(2027, 3, 1)  # Saturday → Monday


# Proposals: the other way


def propose(client, **changes):
    data = {
        **FORM,
        "contact_name": "Eva Ek",
        "contact_email": "eva.ek@example.se",
        "locale": "sv",
        "message": "Vi vill gärna komma till er i vår.",
        **changes,
    }
    data.pop("consent")
    return client.post("/manage/visits/propose", data=data)


def test_an_organiser_proposes_a_visit_and_the_contact_is_mailed_a_link_to_answer(client, logged_in):
    response = propose(client)
    visit = only_visit()
    assert response.status_code == 302
    assert visit.origin == VisitOrigin.PROPOSAL and visit.status == VisitStatus.PROPOSED
    assert visit.created_by == logged_in and visit.assignee == logged_in and visit.consent_at is None
    [proposal] = outbox("visit_proposed")
    assert proposal.recipient == "eva.ek@example.se"
    assert "Vi vill gärna komma till er i vår." in proposal.body_text
    assert f"/visit/{visit.token}" in proposal.body_text

    page = text(client.get(f"/visit/{visit.token}"))
    assert "Ja, vi vill gärna ha besöket" in page and 'name="choice"' in page


def test_a_proposal_needs_a_message(client, logged_in):
    response = propose(client, message="")
    assert response.status_code == 400 and 'id="message-error"' in text(response)
    assert count(VisitRequest) == 0


def test_the_contact_accepts_and_a_draft_event_is_made_for_the_proposer(client, organiser):
    visit = visits.propose(details(), organiser, locale="sv")
    response = client.post(f"/visit/{visit.token}/answer", data={"choice": "accept", "message": "Toppen!"})
    assert response.status_code == 302
    visit = only_visit()
    assert visit.status == VisitStatus.ACCEPTED
    assert visit.event.status == EventStatus.DRAFT and visit.event.organisers == [organiser]
    assert [n.kind for n in visit.notes] == [VisitNoteKind.REPLY]
    [told] = outbox("visit_contact_answered")
    assert told.recipient == organiser.email and "accepterade" in told.subject
    assert f"/manage/visits/{visit.id}" in told.body_text
    assert actions() == ["visit.proposed", "event.created", "visit.contact_accepted"]
    # The answer is given once.
    again = client.post(f"/visit/{visit.token}/answer", data={"choice": "decline"}, follow_redirects=True)
    assert "redan besvarats" in text(again)
    assert only_visit().status == VisitStatus.ACCEPTED


def test_the_contact_suggests_another_period_and_the_organiser_accepts_it(client, auth, organiser):
    visit = visits.propose(details(), organiser, locale="sv")
    new_start = SOON + timedelta(days=100)
    bad = client.post(f"/visit/{visit.token}/answer", data={"choice": "suggest"})
    assert bad.status_code == 400 and 'id="period_start-error"' in text(bad)
    response = client.post(
        f"/visit/{visit.token}/answer",
        data={
            "choice": "suggest",
            "period_start": new_start.isoformat(),
            "period_text": "helst en tisdag",
            "message": "Våren passar bättre.",
        },
    )
    assert response.status_code == 302
    visit = only_visit()
    assert visit.status == VisitStatus.IN_REVIEW
    assert (visit.period_start, visit.period_end, visit.period_text) == (new_start, None, "helst en tisdag")
    assert "föreslår en annan period" in outbox("visit_contact_answered")[0].subject

    auth.login(organiser)
    client.post(f"/manage/visits/{visit.id}/accept")
    event = only_visit().event
    assert local_naive(event.starts_at).date() == new_start


def test_the_contact_declines(client, organiser):
    visit = visits.propose(details(), organiser, locale="sv")
    client.post(f"/visit/{visit.token}/answer", data={"choice": "decline", "message": "Inte nu."})
    assert only_visit().status == VisitStatus.DECLINED and count(Event) == 0
    assert "Inte nu." in text(client.get(f"/visit/{visit.token}"))


def test_bad_answers_change_nothing(client, organiser):
    visit = visits.propose(details(), organiser, locale="sv")
    for data in (
        {},
        {"choice": "maybe"},
        {"choice": "accept", "message": "x" * 4001},
        {"choice": "suggest", "period_start": "2027-02-30"},
    ):
        response = client.post(f"/visit/{visit.token}/answer", data=data)
        assert response.status_code == 400, data
    assert only_visit().status == VisitStatus.PROPOSED and count(VisitNote) == 0


def test_a_request_from_the_public_form_cannot_be_answered_like_a_proposal(client):
    request_visit(client)
    visit = only_visit()
    assert client.post(f"/visit/{visit.token}/answer", data={"choice": "accept"}).status_code == 404
    assert only_visit().status == VisitStatus.NEW
    with pytest.raises(VisitStatusRefused):
        visits.respond_to_proposal(visit, "accept")


def test_an_organiser_can_withdraw_a_proposal(organiser):
    visit = visits.propose(details(), organiser, locale="en")
    visits.decline(visit, organiser, "Sorry, our plans changed.")
    [withdrawn] = outbox("visit_declined")
    assert withdrawn.subject == "The visit proposal is withdrawn"
    with pytest.raises(VisitStatusRefused):
        visits.respond_to_proposal(visit, "accept")


def test_the_proposal_form_is_filled_in_from_a_region_contact(client, logged_in):
    from app.services import regions
    from app.services.regions import ContactDetails

    contact = regions.add_contact(
        region("07"), ContactDetails("Eva Ek", "Regional strateg", "Region Kronoberg", "eva.ek@example.se"), logged_in
    )
    other = regions.add_contact(region("20"), ContactDetails("Dan Dal", email="dan@example.se"), logged_in)
    page = text(client.get(f"/manage/visits/propose?region=07&contact={contact.id}"))
    assert 'value="eva.ek@example.se"' in page and 'value="Eva Ek"' in page
    page = text(client.get(f"/manage/visits/propose?region=07&contact={other.id}"))
    assert "dan@example.se" not in page  # a contact of another region is not used


def test_period_rules():
    today = date(2027, 1, 10)
    assert visits.period_problems(Period(text="våren"), today=today) == {}
    assert visits.period_problems(Period(date(2027, 1, 10)), today=today) == {}
    assert set(visits.period_problems(Period(date(2027, 1, 9)), today=today)) == {"period_start"}
    assert set(visits.period_problems(Period(date(2027, 2, 1), date(2027, 1, 31)), today=today)) == {"period_end"}
    assert set(visits.period_problems(Period(), today=today)) == {"period_start"}


def test_a_draft_from_a_visit_request_shows_what_the_region_asked_for(client, logged_in):
    """Issue 14: the requester's message, contact person and audience are on the draft's page,
    read from the request itself; a draft with no place shows no empty "Var" row."""
    visit = visits.submit_request(
        details(
            message="Vi vill samla kommunerna och Komvux.",
            organisation="Region Kronoberg",
            contact_phone="0470-123 45",
            audience_sectors=["municipality", "adult_education"],
        ),
        locale="sv",
    )
    client.post(f"/manage/visits/{visit.id}/accept")
    event = only_visit().event
    assert not (event.venue_name or event.venue_address or event.venue_city or event.online_url)

    page = client.get(f"/manage/events/{event.id}").get_data(as_text=True)
    section = page[page.index('id="from-visit-request"') :]
    assert "Från besöksförfrågan" in section
    for shown in (
        "Vi vill samla kommunerna och Komvux.",
        "Karin Kronoberg",
        "karin@kronoberg.example.se",
        "0470-123 45",
        "Region Kronoberg",
        "Kommun",
        "Vuxenutbildning",
        "80",
    ):
        assert shown in section, shown
    assert '<dt class="col-sm-3">Var</dt>' not in page

    # Read live: what changes on the request shows on the draft's page.
    only_visit().message = "Gärna i april."
    db.session.commit()
    assert "Gärna i april." in client.get(f"/manage/events/{event.id}").get_data(as_text=True)

    # The place, once given, is shown.
    event = db.session.get(Event, event.id)
    event.venue_city = "Växjö"
    db.session.commit()
    page = client.get(f"/manage/events/{event.id}").get_data(as_text=True)
    assert '<dt class="col-sm-3">Var</dt>' in page and "Växjö" in page
