"""The organiser's parallel-session pages (issue 16): making a slot of agenda items with
their capacities, the per-session lists and counts, moving people (a full session only
after confirming), the CSV and the door list per room."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry, ChoiceStatus, ParallelSession, SessionSlot
from app.services import registrations
from app.services.registrations import RegistrationDetails, sessions


@pytest.fixture
def event_with_items(make_event, make_item, organiser, auth):
    event = make_event(title="Nationell konferens om validering", capacity=100, organisers=[organiser])
    start = event.starts_at + timedelta(hours=2)
    items = [
        make_item(event, "Workshop A", start, start + timedelta(hours=1), room="Sal A"),
        make_item(event, "Workshop B", start, start + timedelta(hours=1), room="Sal B"),
        make_item(event, "Lunch", start + timedelta(hours=1), start + timedelta(hours=2)),
    ]
    auth.login(organiser)
    return event, items


def make_slot(client, event, items, *, a="2", b="") -> SessionSlot:
    answer = client.post(
        f"/manage/events/{event.id}/sessions/new",
        data={
            "title": "Pass 1",
            "allow_none": "y",
            f"item_{items[0].id}": "y",
            f"capacity_{items[0].id}": a,
            f"item_{items[1].id}": "y",
            f"capacity_{items[1].id}": b,
        },
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return db.session.scalar(select(SessionSlot))


def register(event, n, choices):
    details = RegistrationDetails(name=f"Person {n}", email=f"p{n}@example.se", sector="municipality", consent=True)
    return registrations.register(event, details, locale="sv", choices=choices).registration


def session_of(slot, title) -> ParallelSession:
    return next(s for s in slot.sessions if s.item.title == title)


def test_the_organiser_makes_a_slot_of_two_items_with_their_capacities(client, event_with_items):
    event, items = event_with_items
    slot = make_slot(client, event, items)
    assert slot.title == "Pass 1" and slot.allow_none
    assert {s.item.title: s.capacity for s in slot.sessions} == {"Workshop A": 2, "Workshop B": None}
    page = client.get(f"/manage/events/{event.id}/sessions").get_data(as_text=True)
    assert "Workshop A" in page and "av 2 platser tagna" in page


@pytest.mark.parametrize(
    "capacity, fewer_items, message",
    [("många", False, "heltal"), ("-1", False, "heltal"), ("²", False, "heltal"), ("2", True, "minst två")],
)
def test_bad_slots_are_refused_with_a_message_and_nothing_is_made(
    client, event_with_items, capacity, fewer_items, message
):
    event, items = event_with_items
    data = {"title": "Pass 1", f"item_{items[0].id}": "y", f"capacity_{items[0].id}": capacity}
    if not fewer_items:
        data[f"item_{items[1].id}"] = "y"
    answer = client.post(f"/manage/events/{event.id}/sessions/new", data=data)
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)
    assert db.session.scalar(select(SessionSlot)) is None


def test_a_slot_without_a_name_and_with_a_bad_capacity_says_both_at_once_in_its_summary(client, event_with_items):
    event, items = event_with_items
    data = {f"item_{items[0].id}": "y", f"capacity_{items[0].id}": "²", f"item_{items[1].id}": "y"}
    answer = client.post(f"/manage/events/{event.id}/sessions/new", data=data)
    assert answer.status_code == 400
    summary = answer.get_data(as_text=True).split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert 'href="#title"' in summary and "heltal" in summary
    assert db.session.scalar(select(SessionSlot)) is None


def test_an_item_of_another_event_cannot_join_a_slot(client, event_with_items, make_event, make_item):
    event, items = event_with_items
    other = make_event()
    foreign = make_item(other, "Främmande", other.starts_at, other.starts_at + timedelta(hours=1))
    answer = client.post(
        f"/manage/events/{event.id}/sessions/new",
        data={"title": "Pass", f"item_{items[0].id}": "y", f"item_{foreign.id}": "y"},
    )
    assert answer.status_code == 400  # the foreign item is not on this event's form: one item only
    assert db.session.scalar(select(SessionSlot)) is None


def test_lists_counts_csv_and_door_list(client, event_with_items):
    event, items = event_with_items
    slot = make_slot(client, event, items)
    a, b = session_of(slot, "Workshop A"), session_of(slot, "Workshop B")
    for n in range(3):
        register(event, n, {slot.id: a.id})
    register(event, 9, {slot.id: b.id})
    page = client.get(f"/manage/events/{event.id}/sessions").get_data(as_text=True)
    assert 'data-session-counts="2/2/1"' in page
    participants = client.get(f"/manage/events/{event.id}/participants").get_data(as_text=True)
    assert "Pass 1: Workshop A (reservlista)" in participants
    csv = client.get(f"/manage/events/{event.id}/sessions.csv")
    text = csv.data.decode("utf-8-sig")
    assert text.splitlines()[0] == "Block;Pass;Lokal;Börjar;Plats;Namn;E-postadress;Organisation"
    assert text.count("Workshop A;Sal A") == 3 and ";Reservlista;Person 2;" in text
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "sessions.exported")) is not None
    door = client.get(f"/manage/events/{event.id}/sessions/door-list?room=Sal A").get_data(as_text=True)
    assert "Person 0" in door and "Person 1" in door
    assert "Person 2" not in door  # waiting, not at the door
    assert "Person 9" not in door  # another room


def test_the_participant_csv_has_a_column_per_slot_with_each_persons_choice(client, event_with_items):
    event, items = event_with_items
    slot = make_slot(client, event, items, a="1")
    a, b = session_of(slot, "Workshop A"), session_of(slot, "Workshop B")
    register(event, 0, {slot.id: a.id})
    register(event, 1, {slot.id: a.id})  # waits for Workshop A
    register(event, 2, {slot.id: b.id})
    register(event, 3, {})  # the slot allows none
    rows = client.get(f"/manage/events/{event.id}/participants.csv").data.decode("utf-8-sig").splitlines()
    assert rows[0].endswith(";Pass 1")
    cell = {row.split(";")[0]: row.split(";")[-1] for row in rows[1:]}
    assert cell == {
        "Person 0": "Workshop A",
        "Person 1": "Workshop A (reservlista)",
        "Person 2": "Workshop B",
        "Person 3": "",
    }


def test_moving_into_a_full_session_asks_first_then_moves(client, event_with_items):
    event, items = event_with_items
    slot = make_slot(client, event, items)
    a, b = session_of(slot, "Workshop A"), session_of(slot, "Workshop B")
    register(event, 0, {slot.id: a.id})
    register(event, 1, {slot.id: a.id})
    mover = register(event, 2, {slot.id: b.id})
    url = f"/manage/events/{event.id}/sessions/move/{mover.id}"
    asked = client.post(url, data={"session": str(a.id)})
    assert asked.status_code == 409
    assert "Flytta ändå" in asked.get_data(as_text=True)
    assert sessions.choices_of(mover)[slot.id].session_id == b.id
    moved = client.post(url, data={"session": str(a.id), "beyond_capacity": "1"})
    assert moved.status_code == 302
    assert sessions.choices_of(mover)[slot.id].session_id == a.id
    assert sessions.seats_by_session(event)[a.id].seated == 3
    nonsense = client.post(url, data={"session": "x"})
    assert nonsense.status_code == 302
    assert sessions.choices_of(mover)[slot.id].session_id == a.id


def test_the_organiser_takes_a_person_out_of_a_session_and_the_first_waiting_moves_up(client, event_with_items):
    event, items = event_with_items
    slot = make_slot(client, event, items, a="1")
    a = session_of(slot, "Workshop A")
    leaver = register(event, 0, {slot.id: a.id})
    waiting = register(event, 1, {slot.id: a.id})
    page = client.get(f"/manage/events/{event.id}/sessions").get_data(as_text=True)
    assert '<option value="none">Inget pass i blocket</option>' in page
    url = f"/manage/events/{event.id}/sessions/move/{leaver.id}"
    answer = client.post(url, data={"session": "none", "from": str(a.id)}, follow_redirects=True)
    assert "Person 0 har inget pass i Pass 1 nu." in answer.get_data(as_text=True)
    assert slot.id not in sessions.choices_of(leaver)
    assert sessions.choices_of(waiting)[slot.id].status == ChoiceStatus.SEATED
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "session.left")) is not None
    # A session of another slot or nonsense changes nothing.
    for bad in ("x", "", str(10**12)):
        client.post(f"/manage/events/{event.id}/sessions/move/{waiting.id}", data={"session": "none", "from": bad})
    assert sessions.choices_of(waiting)[slot.id].session_id == a.id


def test_a_slot_everyone_must_choose_in_keeps_them_in_a_session(client, event_with_items, organiser):
    event, items = event_with_items
    from app.services.registrations.session_changes import save_slot

    slot = save_slot(event, title="Pass 1", allow_none=False, capacities={items[0].id: 5, items[1].id: 5}, by=organiser)
    a = session_of(slot, "Workshop A")
    person = register(event, 0, {slot.id: a.id})
    assert '<option value="none">' not in client.get(f"/manage/events/{event.id}/sessions").get_data(as_text=True)
    answer = client.post(
        f"/manage/events/{event.id}/sessions/move/{person.id}",
        data={"session": "none", "from": str(a.id)},
        follow_redirects=True,
    )
    assert "flytta dem i stället" in answer.get_data(as_text=True)
    assert sessions.choices_of(person)[slot.id].session_id == a.id


def test_a_session_of_another_event_is_not_a_target(client, event_with_items, make_event, make_item, organiser):
    event, items = event_with_items
    slot = make_slot(client, event, items)
    other = make_event(organisers=[organiser])
    start = other.starts_at
    x = make_item(other, "X", start, start + timedelta(hours=1))
    y = make_item(other, "Y", start, start + timedelta(hours=1))
    from app.services.registrations.session_changes import save_slot

    foreign = save_slot(other, title="Annat", allow_none=True, capacities={x.id: 1, y.id: 1}, by=organiser)
    person = register(event, 0, {slot.id: session_of(slot, "Workshop A").id})
    answer = client.post(
        f"/manage/events/{event.id}/sessions/move/{person.id}", data={"session": str(foreign.sessions[0].id)}
    )
    assert answer.status_code == 302
    assert sessions.choices_of(person)[slot.id].session.item.title == "Workshop A"


def test_another_organiser_sees_nothing(client, auth, event_with_items, make_user):
    event, items = event_with_items
    make_slot(client, event, items)
    auth.logout()
    auth.login(make_user(name="Annan"))
    for url in ("sessions", "sessions.csv", "sessions/door-list", "sessions/new"):
        assert client.get(f"/manage/events/{event.id}/{url}").status_code == 403


def test_a_cancelled_registration_is_not_moved(client, event_with_items):
    event, items = event_with_items
    slot = make_slot(client, event, items)
    person = register(event, 0, {slot.id: session_of(slot, "Workshop B").id})
    registrations.cancel(person)
    answer = client.post(
        f"/manage/events/{event.id}/sessions/move/{person.id}",
        data={"session": str(session_of(slot, "Workshop A").id)},
        follow_redirects=True,
    )
    assert "Den här anmälan är avanmäld." in answer.get_data(as_text=True)
    assert sessions.choices_of(person)[slot.id].session.item.title == "Workshop B"
