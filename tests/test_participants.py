"""Organisers' participant pages: list, filters, hand changes, CSV for Excel, check-in, print."""

import csv
import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage, Registration, RegistrationStatus
from app.services import registrations
from app.services.registrations import RegistrationDetails
from app.services.registrations.participant_csv import safe_cell


def add(event, email, name=None, sector="municipality", **fields) -> Registration:
    details = RegistrationDetails(
        name=name or email.split("@")[0].title(), email=email, sector=sector, consent=True, **fields
    )
    return registrations.register(event, details, locale="sv").registration


@pytest.fixture
def event(make_event, organiser, auth):
    auth.login(organiser)
    return make_event(capacity=2, organisers=[organiser])


def status_of(registration) -> RegistrationStatus:
    db.session.expire_all()
    return db.session.get(Registration, registration.id).status


def test_participant_pages_are_for_the_events_organisers_only(client, auth, make_event, make_user, organiser):
    event = make_event(organisers=[organiser])
    person = add(event, "a@example.se")
    auth.login(make_user())
    for url in (
        f"/manage/events/{event.id}/participants",
        f"/manage/events/{event.id}/participants.csv",
        f"/manage/events/{event.id}/checkin",
        f"/manage/events/{event.id}/participants/print",
    ):
        assert client.get(url).status_code == 403, url
    for url in (
        f"/manage/events/{event.id}/participants/{person.id}/cancel",
        f"/manage/events/{event.id}/checkin/{person.id}",
    ):
        assert client.post(url, data={"attended": "1"}).status_code == 403, url
    assert status_of(person) == RegistrationStatus.CONFIRMED


def test_a_registration_of_another_event_is_not_found_through_this_one(client, event, make_event):
    other = make_event()
    stranger = add(other, "x@example.se")
    assert client.post(f"/manage/events/{event.id}/participants/{stranger.id}/cancel").status_code == 404
    assert client.post(f"/manage/events/{event.id}/checkin/{stranger.id}", data={"attended": "1"}).status_code == 404
    assert status_of(stranger) == RegistrationStatus.CONFIRMED


def test_the_list_shows_counts_and_finds_people_by_search_status_and_sector(client, event):
    add(event, "karin@linkoping.se", name="Karin Lind", organisation="Linköpings kommun")
    add(event, "asa@norrkoping.se", name="Åsa Öberg", sector="adult_education", organisation="Komvux Norrköping")
    add(event, "per@af.se", name="Per Persson", sector="public_employment_service")
    registrations.cancel(add(event, "gone@example.se"))

    page = client.get(f"/manage/events/{event.id}/participants").get_data(as_text=True)
    assert "<strong>2</strong> bekräftade" in page
    assert "<strong>1</strong> på reservlistan" in page and "<strong>1</strong> avanmälda" in page
    assert page.index("Karin Lind") < page.index("Per Persson")  # confirmed before the waiting list

    found = client.get(f"/manage/events/{event.id}/participants?q=åsa").get_data(as_text=True)
    assert "Åsa Öberg" in found and "Karin Lind" not in found
    found = client.get(f"/manage/events/{event.id}/participants?q=KOMVUX").get_data(as_text=True)
    assert "Åsa Öberg" in found and "Karin Lind" not in found
    found = client.get(f"/manage/events/{event.id}/participants?status=waitlisted").get_data(as_text=True)
    assert "Per Persson" in found and "Karin Lind" not in found
    found = client.get(f"/manage/events/{event.id}/participants?sector=adult_education").get_data(as_text=True)
    assert "Åsa Öberg" in found and "Per Persson" not in found
    hostile = client.get(f"/manage/events/{event.id}/participants?q=%25_%5C&status=party&sector=x" + "y" * 300)
    assert hostile.status_code == 200
    assert "Okänd status" in hostile.get_data(as_text=True)


def test_organisers_confirm_move_and_cancel_by_hand_and_people_are_emailed(client, event):
    first, second = add(event, "a@example.se"), add(event, "b@example.se")
    waiting = add(event, "c@example.se")

    page = client.post(
        f"/manage/events/{event.id}/participants/{waiting.id}/confirm?status=waitlisted", follow_redirects=True
    )
    assert status_of(waiting) == RegistrationStatus.CONFIRMED
    assert "fler deltagare än platser" in page.get_data(as_text=True)

    client.post(f"/manage/events/{event.id}/participants/{first.id}/waitlist")
    assert status_of(first) == RegistrationStatus.WAITLISTED

    response = client.post(f"/manage/events/{event.id}/participants/{second.id}/cancel?q=b")
    assert response.headers["Location"].endswith(f"/manage/events/{event.id}/participants?q=b")
    assert status_of(second) == RegistrationStatus.CANCELLED
    # Moving to the waiting list hands no seat on; a cancellation does (c and now a: capacity 2).
    assert status_of(first) == RegistrationStatus.CONFIRMED

    templates = [
        (m.recipient, m.template)
        for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template != "registration_confirmed").order_by(OutboxMessage.id)
        )
    ]
    assert templates == [
        ("c@example.se", "registration_waitlisted"),
        ("c@example.se", "registration_promoted"),
        ("a@example.se", "registration_waitlisted"),
        ("b@example.se", "registration_cancelled"),
        ("a@example.se", "registration_promoted"),
    ]


def test_csv_opens_in_swedish_excel_and_formulas_stay_text(client, event):
    add(
        event,
        "karin@linkoping.se",
        name='=HYPERLINK("http://evil")',
        organisation="Linköpings kommun; Komvux",
        municipality="Linköping",
        dietary_needs="+46 vegetarisk\nglutenfri",
    )
    add(event, "asa@example.se", name="Åsa Öberg", sector="politician", organisation="@region")
    response = client.get(f"/manage/events/{event.id}/participants.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Namn", "E-postadress", "Organisation"]
    by_email = {row[1]: row for row in rows[1:]}
    karin = by_email["karin@linkoping.se"]
    assert karin[0] == '\'=HYPERLINK("http://evil")'
    assert karin[2] == "Linköpings kommun; Komvux"
    assert karin[3] == "Kommun" and karin[5] == "Bekräftad"
    assert karin[6] == "'+46 vegetarisk\nglutenfri"
    assert by_email["asa@example.se"][0] == "Åsa Öberg" and by_email["asa@example.se"][2] == "'@region"
    assert b"\r\n" in raw


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Anna", "Anna"),
        ("", ""),
        (None, ""),
    ],
)
def test_cells_that_look_like_formulas_are_prefixed(value, expected):
    assert safe_cell(value) == expected


def test_check_in_marks_and_unmarks_attendance_without_javascript(client, event):
    person = add(event, "karin@example.se", name="Karin Lind")
    add(event, "b@example.se", name="Bo Ek")
    add(event, "waiting@example.se", name="Wilma Väntar")
    page = client.get(f"/manage/events/{event.id}/checkin").get_data(as_text=True)
    assert "0 av 2 incheckade" in page
    assert "Karin Lind" in page and "Wilma Väntar" not in page
    assert page.index("Bo Ek") < page.index("Karin Lind")

    response = client.post(f"/manage/events/{event.id}/checkin/{person.id}?q=kar", data={"attended": "1"})
    assert response.headers["Location"].endswith(f"/manage/events/{event.id}/checkin?q=kar")
    assert status_of(person) == RegistrationStatus.ATTENDED
    page = client.get(f"/manage/events/{event.id}/checkin?q=kar").get_data(as_text=True)
    assert "1 av 2 incheckade" in page and "Bo Ek" not in page

    client.post(f"/manage/events/{event.id}/checkin/{person.id}", data={"attended": "0"})
    assert status_of(person) == RegistrationStatus.CONFIRMED


def test_the_printable_list_has_confirmed_people_by_name(client, event):
    add(event, "b@example.se", name="Bo Ek", dietary_needs="Laktosfri")
    add(event, "a@example.se", name="Anna Berg")
    add(event, "w@example.se", name="Wilma Väntar")
    page = client.get(f"/manage/events/{event.id}/participants/print").get_data(as_text=True)
    assert page.index("Anna Berg") < page.index("Bo Ek")
    assert "Laktosfri" in page and "Wilma Väntar" not in page
    assert "1 på reservlistan" in page


def test_the_event_page_links_to_the_participant_pages(client, event):
    add(event, "a@example.se")
    page = client.get(f"/manage/events/{event.id}").get_data(as_text=True)
    assert f"/manage/events/{event.id}/participants" in page and f"/manage/events/{event.id}/checkin" in page
    assert "1 bekräftade" in page


def test_participant_pages_make_the_same_queries_however_many_people_come(client, event, count_queries):
    event.capacity = None
    db.session.commit()
    event_id = event.id
    add(event, "first@example.se")
    urls = [f"/manage/events/{event_id}/{path}" for path in ("participants", "checkin", "participants/print")]

    def measure(url):
        db.session.expunge_all()
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    few = {url: measure(url) for url in urls}
    event = db.session.get(type(event), event_id)
    for n in range(30):
        add(event, f"p{n}@example.se", municipality="Motala", dietary_needs="Vegansk")
    assert {url: measure(url) for url in urls} == few


def test_a_long_list_is_paged_and_keeps_its_filters(client, event):
    from app.manage.participants.views import PER_PAGE

    event.capacity = None
    db.session.commit()
    for n in range(PER_PAGE + 1):
        add(event, f"p{n:03}@example.se", name=f"Person {n:03}", municipality="Motala")
    page = client.get(f"/manage/events/{event.id}/participants?status=confirmed").get_data(as_text=True)
    assert "Sida 1 av 2" in page
    assert f"/manage/events/{event.id}/participants?page=2&amp;status=confirmed" in page
    second = client.get(f"/manage/events/{event.id}/participants?status=confirmed&page=2").get_data(as_text=True)
    assert "Person 100" in second and "Person 000" not in second


@pytest.mark.parametrize("query", ["status=%20", "sector=%20%20", "status=bogus&sector=nope", "q=" + "x" * 500])
def test_blank_or_unknown_filters_are_ignored_not_an_error(client, auth, organiser, make_event, query):
    event = make_event(organisers=[organiser])
    auth.login(organiser)
    assert client.get(f"/manage/events/{event.id}/participants?{query}").status_code == 200


def test_cancelling_or_moving_a_participant_asks_first_and_says_avanmald(client, event):
    """Issue 14: the organiser's actions are labelled links to a confirm page; a cancelled
    registration is "Avanmäld" (not the cancelled event's "Inställt") in the list, on the
    participant's own page and in the CSV."""
    anna, bo = add(event, "anna@example.com", name="Anna Ek"), add(event, "bo@example.com", name="Bo Ek")
    listing = client.get(f"/manage/events/{event.id}/participants?q=ek").get_data(as_text=True)
    cancel_link = f"/manage/events/{event.id}/participants/{anna.id}/cancel?q=ek"
    assert f'href="{cancel_link}"' in listing and "Avanmäl …" in listing and ">Avbryt<" not in listing

    question = client.get(cancel_link)
    assert question.status_code == 200
    page = question.get_data(as_text=True)
    assert "Avanmäla Anna Ek?" in page and 'method="post"' in page and 'name="csrf_token"' in page
    assert status_of(anna) == RegistrationStatus.CONFIRMED  # asking changes nothing

    waitlist = client.get(f"/manage/events/{event.id}/participants/{bo.id}/waitlist").get_data(as_text=True)
    assert "Flytta Bo Ek till reservlistan?" in waitlist
    assert status_of(bo) == RegistrationStatus.CONFIRMED
    # The confirm route answers GET for the two actions that mail and move seats only.
    assert client.get(f"/manage/events/{event.id}/participants/{bo.id}/confirm").status_code == 405

    response = client.post(cancel_link)
    assert response.headers["Location"].endswith(f"/manage/events/{event.id}/participants?q=ek")
    assert status_of(anna) == RegistrationStatus.CANCELLED

    listing = client.get(f"/manage/events/{event.id}/participants").get_data(as_text=True)
    assert "Avanmäld" in listing and "Inställt" not in listing
    own_page = client.get(f"/r/{anna.manage_token}").get_data(as_text=True)
    assert 'data-registration-status="cancelled">Avanmäld<' in own_page
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/manage/events/{event.id}/participants.csv").data.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert {row[1]: row[5] for row in rows[1:]}["anna@example.com"] == "Avanmäld"


def test_the_confirm_pages_are_for_the_events_organisers_only(client, auth, make_event, make_user, organiser):
    event = make_event(organisers=[organiser])
    person = add(event, "a@example.com")
    auth.login(make_user())
    for action in ("cancel", "waitlist"):
        assert client.get(f"/manage/events/{event.id}/participants/{person.id}/{action}").status_code == 403


def test_a_confirm_page_of_another_events_registration_is_not_found(client, event, make_event):
    other = add(make_event(), "x@example.com")
    assert client.get(f"/manage/events/{event.id}/participants/{other.id}/cancel").status_code == 404
