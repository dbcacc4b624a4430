"""Organisers build an event's agenda: rules, warnings, quick editing, speakers and access."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AgendaItem, EventKind, EventStatus, Speaker
from app.services import ValidationError, agenda, events
from tests.conftest import local


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def conference(make_event, organiser):
    """The two-day national conference in Gävle, managed by `organiser`."""
    return make_event(
        kind=EventKind.NATIONAL_CONFERENCE,
        title="Nationell valideringskonferens",
        region_code="21",
        venue_name="Gävle Konserthus",
        venue_city="Gävle",
        starts_at=local(2027, 11, 16, 10),
        ends_at=local(2027, 11, 17, 15),
        organisers=[organiser],
    )


@pytest.fixture
def logged_in(auth, organiser):
    auth.login(organiser)
    return organiser


def item_form(**changes) -> dict:
    form = {
        "title": "Välkommen",
        "day": "2027-11-16",
        "starts_at": "10:00",
        "ends_at": "10:20",
        "room": "Stora salen",
        "description": "Region Gävleborg **hälsar välkommen**.",
    }
    form.update(changes)
    return form


def items() -> list[AgendaItem]:
    return list(db.session.scalars(select(AgendaItem).order_by(AgendaItem.starts_at, AgendaItem.position)))


# --- Adding and the rules ---------------------------------------------------------


def test_organiser_adds_an_item_in_local_time_with_a_new_speaker(client, logged_in, conference):
    response = client.post(
        f"/manage/events/{conference.id}/agenda/new",
        data=item_form(
            **{
                "speakers-0-name": "Elin Landell",
                "speakers-0-role": "kanslichef",
                "speakers-0-organisation": "Valideringsdelegationen",
            }
        ),
    )
    assert response.status_code == 302
    [item] = items()
    assert response.headers["Location"].endswith(f"/manage/events/{conference.id}/agenda#item-{item.id}")
    assert item.starts_at == local(2027, 11, 16, 10) and item.ends_at == local(2027, 11, 16, 10, 20)
    assert item.room == "Stora salen"
    assert "<strong>hälsar välkommen</strong>" in item.description_html
    assert [(s.name, s.role, s.organisation) for s in item.speakers] == [
        ("Elin Landell", "kanslichef", "Valideringsdelegationen")
    ]
    assert "Programpunkten är tillagd" in text(client.get(f"/manage/events/{conference.id}/agenda"))


def test_a_new_item_starts_where_the_previous_one_ends(client, logged_in, conference, make_item):
    form = text(client.get(f"/manage/events/{conference.id}/agenda/new"))
    assert 'value="10:00"' in form and 'value="10:30"' in form  # the event's start when empty
    opening = make_item(
        conference, "Välkommen", local(2027, 11, 16, 10), local(2027, 11, 16, 10, 20), room="Stora salen"
    )
    make_item(conference, "Kaffe", local(2027, 11, 17, 9), local(2027, 11, 17, 9, 30))

    form = text(client.get(f"/manage/events/{conference.id}/agenda/new?after={opening.id}"))
    assert 'name="starts_at" required type="time" value="10:20"' in form
    assert 'name="ends_at" required type="time" value="10:40"' in form  # as long as the previous one
    assert '<option selected value="2027-11-16">' in form
    assert 'value="Stora salen"' in form
    # Without ?after, after the last item of the agenda.
    form = text(client.get(f"/manage/events/{conference.id}/agenda/new"))
    assert '<option selected value="2027-11-17">' in form and 'value="09:30"' in form


def test_save_and_add_next_goes_on_after_the_saved_item(client, logged_in, conference):
    response = client.post(f"/manage/events/{conference.id}/agenda/new", data=item_form(then="next"))
    [item] = items()
    assert response.headers["Location"].endswith(f"/manage/events/{conference.id}/agenda/new?after={item.id}")
    assert 'value="10:20"' in text(client.get(response.headers["Location"]))


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": "  "}, "Ge programpunkten en rubrik."),
        ({"ends_at": "09:00"}, "Programpunkten måste sluta efter att den börjar."),
        ({"ends_at": "10:00"}, "Programpunkten måste sluta efter att den börjar."),
        ({"starts_at": "25:00"}, "Inte ett giltigt tidsvärde."),
        ({"starts_at": ""}, "Ange en tid, till exempel 09:30."),
        ({"day": "2027-11-18"}, "Inte ett giltigt val"),
        ({"day": "igår"}, "Inte ett giltigt val"),
        ({"title": "x" * 201}, "200"),
        ({"room": "r" * 101}, "100"),
        # A speaker row is a sub-form; its messages are Swedish too.
        ({"speakers-0-name": "n" * 121}, "Högst 120 tecken."),
        ({"speakers-0-role": "projektledare"}, "Ange talarens namn."),
        ({"speakers-0-speaker": "abc"}, "Den talaren finns inte längre; välj en annan."),
        ({"speakers-0-speaker": "999999"}, "Den talaren finns inte längre; välj en annan."),
    ],
)
def test_bad_items_get_a_message_by_the_field_and_change_nothing(client, logged_in, conference, changes, message):
    response = client.post(f"/manage/events/{conference.id}/agenda/new", data=item_form(**changes))
    assert response.status_code == 400
    assert message in text(response)
    assert 'aria-invalid="true"' in text(response)
    assert items() == []


def test_the_service_keeps_items_within_the_event_days(conference):
    """Within the days, not the announced times: 00:00 on the first day to 24:00 on the last."""

    def problems(start, end):
        return agenda.problems_with(conference, agenda.ItemDetails("Punkt", start, end))

    assert problems(local(2027, 11, 16, 0, 0), local(2027, 11, 16, 1)) == {}
    assert problems(local(2027, 11, 17, 23), local(2027, 11, 18, 0, 0)) == {}
    before = problems(local(2027, 11, 15, 23, 30), local(2027, 11, 16, 0, 30))
    assert before["starts_at"] == (
        "Programpunkten måste ligga inom evenemangets dagar, tisdag 16 november 2027 till onsdag 17 november 2027."
    )
    assert "starts_at" in problems(local(2027, 11, 17, 23), local(2027, 11, 18, 0, 30))
    with pytest.raises(ValidationError) as refused:
        agenda.add_item(conference, agenda.ItemDetails("Punkt", local(2027, 11, 18, 9), local(2027, 11, 18, 10)))
    assert "starts_at" in refused.value.problems
    assert items() == []


def test_a_one_day_event_names_its_day(make_event):
    event = make_event(starts_at=local(2027, 1, 28, 9), ends_at=local(2027, 1, 28, 16))
    problems = agenda.problems_with(event, agenda.ItemDetails("Punkt", local(2027, 1, 29, 9), local(2027, 1, 29, 10)))
    assert problems["starts_at"] == "Programpunkten måste ligga inom evenemangets dag, torsdag 28 januari 2027."


def test_a_time_skipped_by_summer_time_is_refused(client, logged_in, make_event, organiser):
    event = make_event(starts_at=local(2027, 3, 27, 10), ends_at=local(2027, 3, 28, 15), organisers=[organiser])
    response = client.post(
        f"/manage/events/{event.id}/agenda/new",
        data=item_form(day="2027-03-28", starts_at="02:30", ends_at="03:30"),
    )
    assert response.status_code == 400
    assert "sommartid" in text(response)
    # After the switch, the same form stores summer time (UTC+2).
    client.post(
        f"/manage/events/{event.id}/agenda/new", data=item_form(day="2027-03-28", starts_at="09:00", ends_at="10:00")
    )
    assert items()[0].starts_at == local(2027, 3, 28, 9) and items()[0].starts_at.hour == 7


# --- Warnings, not refusals ----------------------------------------------------------


def test_overlaps_in_the_same_room_are_flagged_not_refused(client, logged_in, conference, make_item):
    make_item(conference, "Keynote", local(2027, 11, 16, 10), local(2027, 11, 16, 11), room="Stora salen")
    response = client.post(
        f"/manage/events/{conference.id}/agenda/new",
        data=item_form(title="Workshop", starts_at="10:30", ends_at="11:30", room="stora salen "),
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert len(items()) == 2
    page = text(response)
    assert "Krockar med ”Keynote” (10:00–11:00) i Stora salen." in page
    assert "Krockar med ”Workshop” (10:30–11:30) i stora salen." in page


def test_parallel_items_in_different_rooms_are_not_flagged(conference, make_item):
    make_item(conference, "Pass A", local(2027, 11, 16, 13), local(2027, 11, 16, 14), room="Stora salen")
    make_item(conference, "Pass B", local(2027, 11, 16, 13), local(2027, 11, 16, 14), room="Lilla salen")
    assert agenda.flagged(conference, agenda.agenda_items(conference)) == {}


def test_overlaps_without_rooms_suggest_giving_rooms(conference, make_item):
    a = make_item(conference, "Lunch", local(2027, 11, 16, 12), local(2027, 11, 16, 13))
    make_item(conference, "Utställning", local(2027, 11, 16, 12, 30), local(2027, 11, 16, 14))
    [message] = agenda.flagged(conference, agenda.agenda_items(conference))[a.id]
    assert message.startswith("Krockar med ”Utställning” (12:30–14:00), och ingen av dem har en lokal.")


def test_items_outside_the_announced_times_are_flagged(conference, make_item):
    coffee = make_item(conference, "Registrering", local(2027, 11, 16, 9), local(2027, 11, 16, 10))
    dinner = make_item(conference, "Middag", local(2027, 11, 17, 18), local(2027, 11, 17, 22))
    found = agenda.flagged(conference, agenda.agenda_items(conference))
    assert found[coffee.id] == ["Börjar innan evenemanget börjar (tisdag 16 november 2027 10:00)."]
    assert found[dinner.id] == ["Slutar efter att evenemanget slutar (onsdag 17 november 2027 15:00)."]


# --- Quick editing --------------------------------------------------------------------


def test_editing_shows_the_item_and_saves_changes(client, logged_in, conference, make_item):
    item = make_item(
        conference,
        "Keynote",
        local(2027, 11, 16, 10),
        local(2027, 11, 16, 11),
        room="Stora salen",
        speakers=[("Elin Landell", "kanslichef", "Valideringsdelegationen")],
    )
    url = f"/manage/events/{conference.id}/agenda/{item.id}/edit"
    form = text(client.get(url))
    assert 'value="Keynote"' in form and 'value="10:00"' in form and 'value="11:00"' in form
    speaker_id = item.speakers[0].id
    assert f'<option selected value="{speaker_id}">Elin Landell, kanslichef, Valideringsdelegationen</option>' in form

    response = client.post(
        url,
        data=item_form(
            title="Keynote: strategin", starts_at="10:15", ends_at="11:15", **{"speakers-0-speaker": str(speaker_id)}
        ),
    )
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.title == "Keynote: strategin" and item.starts_at == local(2027, 11, 16, 10, 15)
    assert item.sequence == 1  # moved in time
    assert [s.id for s in item.speakers] == [speaker_id]


def test_sequence_rises_for_time_and_room_not_for_text(conference, make_item):
    item = make_item(conference, "Pass", local(2027, 11, 16, 13), local(2027, 11, 16, 14), room="Sal A")

    def update(**changes):
        details = dict(title=item.title, starts_at=item.starts_at, ends_at=item.ends_at, room=item.room)
        details.update(changes)
        agenda.update_item(item, agenda.ItemDetails(**details))
        return item.sequence

    assert update(title="Nytt namn", description="Ny text") == 0
    assert update(room="sal a") == 0  # same room, other case
    assert update(room="Sal B") == 1
    assert update(ends_at=local(2027, 11, 16, 14, 30)) == 2


def test_move_up_and_down_swap_places_keeping_durations_and_gap(client, logged_in, conference, make_item):
    first = make_item(conference, "Inledning", local(2027, 11, 16, 10), local(2027, 11, 16, 10, 15))
    second = make_item(conference, "Föredrag", local(2027, 11, 16, 10, 30), local(2027, 11, 16, 11, 30))
    response = client.post(f"/manage/events/{conference.id}/agenda/{second.id}/move/up")
    assert response.status_code == 302
    db.session.refresh(first), db.session.refresh(second)
    assert (second.starts_at, second.ends_at) == (local(2027, 11, 16, 10), local(2027, 11, 16, 11))
    assert (first.starts_at, first.ends_at) == (local(2027, 11, 16, 11, 15), local(2027, 11, 16, 11, 30))
    assert first.sequence == second.sequence == 1

    response = client.post(f"/manage/events/{conference.id}/agenda/{second.id}/move/up", follow_redirects=True)
    assert "”Föredrag” är redan först i sin lokal den dagen." in text(response)
    client.post(f"/manage/events/{conference.id}/agenda/{second.id}/move/down")
    db.session.refresh(first), db.session.refresh(second)
    assert first.starts_at == local(2027, 11, 16, 10) and second.starts_at == local(2027, 11, 16, 10, 30)
    assert client.post(f"/manage/events/{conference.id}/agenda/{second.id}/move/sideways").status_code == 404


def test_moving_stays_within_the_room_and_day(conference, make_item):
    a = make_item(conference, "A", local(2027, 11, 16, 13), local(2027, 11, 16, 14), room="Sal A")
    b = make_item(conference, "B", local(2027, 11, 16, 13), local(2027, 11, 16, 14), room="Sal B")
    c = make_item(conference, "C", local(2027, 11, 17, 9), local(2027, 11, 17, 10), room="Sal A")
    for item, direction in ((a, "up"), (a, "down"), (b, "down"), (c, "up")):
        with pytest.raises(agenda.MoveRefused):
            agenda.move_item(item, direction)
    # Same start in the same room: the order between them changes, the times stay.
    d = make_item(conference, "D", local(2027, 11, 16, 13), local(2027, 11, 16, 13, 30), room="Sal A")
    agenda.move_item(d, "up")
    assert [i.title for i in agenda.agenda_items(conference) if i.room == "Sal A"][:2] == ["D", "A"]
    assert d.starts_at == a.starts_at == local(2027, 11, 16, 13)


def test_duplicate_puts_a_copy_with_its_speakers_right_after(client, logged_in, conference, make_item):
    item = make_item(
        conference,
        "Workshop",
        local(2027, 11, 16, 13),
        local(2027, 11, 16, 14),
        room="Sal A",
        speakers=[("Cecilia Stevrin", "projektledare", "Motala kommun")],
    )
    response = client.post(f"/manage/events/{conference.id}/agenda/{item.id}/duplicate")
    copy = items()[-1]
    assert response.headers["Location"].endswith(f"/manage/events/{conference.id}/agenda/{copy.id}/edit")
    assert copy.id != item.id and copy.title == "Workshop" and copy.room == "Sal A"
    assert (copy.starts_at, copy.ends_at) == (local(2027, 11, 16, 14), local(2027, 11, 16, 15))
    assert copy.speakers == item.speakers
    assert db.session.scalar(select(func.count(Speaker.id))) == 1


def test_a_copy_that_would_leave_the_event_days_keeps_the_original_time(conference, make_item):
    late = make_item(conference, "Kvällsprogram", local(2027, 11, 17, 20), local(2027, 11, 17, 23))
    copy = agenda.duplicate_item(late)
    assert (copy.starts_at, copy.ends_at) == (late.starts_at, late.ends_at)


def test_delete_removes_the_item_but_keeps_the_speaker(client, logged_in, conference, make_item):
    item = make_item(
        conference,
        "Panel",
        local(2027, 11, 16, 13),
        local(2027, 11, 16, 14),
        speakers=[("Elin Landell", "kanslichef", "Valideringsdelegationen")],
    )
    response = client.post(f"/manage/events/{conference.id}/agenda/{item.id}/delete", follow_redirects=True)
    assert "”Panel” är borttagen ur programmet." in text(response)
    assert items() == []
    assert db.session.scalar(select(Speaker.name)) == "Elin Landell"


# --- Speakers -------------------------------------------------------------------------


def test_speakers_are_picked_or_created_and_reused_across_events(client, logged_in, conference, make_event, organiser):
    client.post(
        f"/manage/events/{conference.id}/agenda/new",
        data=item_form(
            **{
                "speakers-0-name": "Elin Landell",
                "speakers-0-role": "kanslichef",
                "speakers-0-organisation": "Valideringsdelegationen",
                "speakers-1-name": "Cecilia Stevrin",
                "speakers-1-role": "projektledare",
                "speakers-1-organisation": "Motala kommun",
            }
        ),
    )
    landell = db.session.scalar(select(Speaker).where(Speaker.name == "Elin Landell"))
    other = make_event(
        title="Inspirationsdag", starts_at=local(2027, 1, 31, 9), ends_at=local(2027, 1, 31, 16), organisers=[organiser]
    )
    # Picked from the list, and typed in again exactly: both reuse the same speaker.
    client.post(
        f"/manage/events/{other.id}/agenda/new",
        data=item_form(
            day="2027-01-31",
            **{
                "speakers-0-speaker": str(landell.id),
            },
        ),
    )
    client.post(
        f"/manage/events/{other.id}/agenda/new",
        data=item_form(
            day="2027-01-31",
            title="Panel",
            **{
                "speakers-0-name": "elin landell",
                "speakers-0-role": "Kanslichef",
                "speakers-0-organisation": "Valideringsdelegationen",
            },
        ),
    )
    assert db.session.scalar(select(func.count(Speaker.id))) == 2
    assert all(item.speakers == [landell] for item in agenda.agenda_items(other))
    # The order the organiser gave is kept.
    assert [s.name for s in agenda.agenda_items(conference)[0].speakers] == ["Elin Landell", "Cecilia Stevrin"]


def test_a_speaker_row_with_both_a_pick_and_a_new_name_is_refused(client, logged_in, conference, make_item):
    item = make_item(
        conference,
        "Panel",
        local(2027, 11, 16, 13),
        local(2027, 11, 16, 14),
        speakers=[("Elin Landell", "kanslichef", "Valideringsdelegationen")],
    )
    response = client.post(
        f"/manage/events/{conference.id}/agenda/new",
        data=item_form(
            **{
                "speakers-0-speaker": str(item.speakers[0].id),
                "speakers-0-name": "Någon annan",
            }
        ),
    )
    assert response.status_code == 400
    assert "Välj en talare i listan eller fyll i en ny, inte båda." in text(response)
    assert 'id="speakers-0-name-error"' in text(response)


def test_the_form_always_offers_blank_speaker_rows(client, logged_in, conference):
    page = text(client.get(f"/manage/events/{conference.id}/agenda/new"))
    assert 'name="speakers-0-name"' in page and 'name="speakers-1-name"' in page
    assert 'name="speakers-2-name"' not in page
    data = item_form(**{"speakers-0-name": "A", "speakers-1-name": "B", "title": ""})
    page = text(client.post(f"/manage/events/{conference.id}/agenda/new", data=data))
    assert 'name="speakers-3-name"' in page  # two filled, two blank


# --- The event moves, the agenda follows ----------------------------------------------


def test_moving_the_event_to_other_days_moves_the_agenda_along(conference, make_item, organiser):
    item = make_item(conference, "Dag 2", local(2027, 11, 17, 9), local(2027, 11, 17, 10))
    details = events.EventDetails(
        kind=conference.kind,
        title=conference.title,
        region=conference.region,
        venue_name=conference.venue_name,
        starts_at=local(2028, 3, 25, 10),
        ends_at=local(2028, 3, 26, 15),
    )
    events.update_event(conference, details, organiser)
    db.session.refresh(item)
    # Across the switch to summer time: the same wall-clock time, one day into the event.
    assert item.starts_at == local(2028, 3, 26, 9) and item.ends_at == local(2028, 3, 26, 10)
    assert item.sequence == 1


def test_shortening_the_event_past_its_agenda_is_refused(client, logged_in, conference, make_item):
    make_item(conference, "Dag 2", local(2027, 11, 17, 9), local(2027, 11, 17, 10))
    response = client.post(
        f"/manage/events/{conference.id}/edit",
        data={
            "title": conference.title,
            "kind": "national_conference",
            "region": "21",
            "starts_at": "2027-11-16T10:00",
            "ends_at": "2027-11-16T17:00",
            "venue_name": "Gävle Konserthus",
            "venue_city": "Gävle",
        },
    )
    assert response.status_code == 400
    assert "Programmet har punkter efter det här datumet." in text(response)
    db.session.expire_all()
    assert conference.ends_at == local(2027, 11, 17, 15)


def test_duplicating_an_event_copies_its_agenda(conference, make_item, organiser):
    make_item(
        conference,
        "Keynote",
        local(2027, 11, 16, 10),
        local(2027, 11, 16, 11),
        room="Stora salen",
        speakers=[("Elin Landell", "kanslichef", "Valideringsdelegationen")],
    )
    copy = events.duplicate_event(conference, organiser)
    [item] = agenda.agenda_items(copy)
    assert item.title == "Keynote" and item.speakers[0].name == "Elin Landell"
    assert len(items()) == 2


def test_deleting_a_draft_deletes_its_agenda(make_event, make_item):
    draft = make_event(status=EventStatus.DRAFT, starts_at=local(2027, 5, 5, 9), ends_at=local(2027, 5, 5, 16))
    make_item(draft, "Punkt", local(2027, 5, 5, 9), local(2027, 5, 5, 10), speakers=[("A", "", "")])
    events.delete_draft(draft, None)
    assert items() == []
    assert db.session.scalar(select(func.count(Speaker.id))) == 1


# --- Who may do it, and hostile input -------------------------------------------------


def agenda_urls(event_id: int, item_id: int) -> list[tuple[str, str]]:
    base = f"/manage/events/{event_id}/agenda"
    return [
        ("GET", base),
        ("GET", f"{base}/new"),
        ("POST", f"{base}/new"),
        ("GET", f"{base}/{item_id}/edit"),
        ("POST", f"{base}/{item_id}/edit"),
        ("POST", f"{base}/{item_id}/delete"),
        ("POST", f"{base}/{item_id}/duplicate"),
        ("POST", f"{base}/{item_id}/move/up"),
    ]


def test_anonymous_visitors_are_sent_to_login(client, conference, make_item):
    item = make_item(conference, "Punkt", local(2027, 11, 16, 10), local(2027, 11, 16, 11))
    for method, url in agenda_urls(conference.id, item.id):
        response = client.open(url, method=method, data=item_form())
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"], url
    assert len(items()) == 1


def test_organisers_of_other_events_get_403(client, auth, make_user, conference, make_item):
    item = make_item(conference, "Punkt", local(2027, 11, 16, 10), local(2027, 11, 16, 11))
    auth.login(make_user(name="Stina Främling"))
    for method, url in agenda_urls(conference.id, item.id):
        assert client.open(url, method=method, data=item_form()).status_code == 403, url
    assert [(i.title, i.starts_at) for i in items()] == [("Punkt", local(2027, 11, 16, 10))]


def test_admins_may_edit_any_agenda(client, auth, admin, conference):
    auth.login(admin)
    assert client.post(f"/manage/events/{conference.id}/agenda/new", data=item_form()).status_code == 302


def test_an_item_of_another_event_is_not_found(client, logged_in, conference, make_event, make_item, organiser):
    other = make_event(organisers=[organiser])
    foreign = make_item(other, "Annan", other.starts_at, other.starts_at + timedelta(hours=1))
    for method, url in agenda_urls(conference.id, foreign.id)[3:]:
        assert client.open(url, method=method, data=item_form()).status_code == 404, url
    huge = "9" * 20
    assert client.get(f"/manage/events/{conference.id}/agenda/{huge}/edit").status_code == 404
    assert client.get(f"/manage/events/{huge}/agenda").status_code == 404
    # ?after= pointing at another event's item is ignored, not used.
    assert client.get(f"/manage/events/{conference.id}/agenda/new?after={foreign.id}").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "after=abc",
        "after=-1",
        "after=99999999999999999999",
        "after=" + "9" * 5000,
        "after=%00",
        "after=%C2%B2",
        "after=%D9%A3",
    ],
)
def test_hostile_query_strings_never_break_the_form(client, logged_in, conference, query):
    assert client.get(f"/manage/events/{conference.id}/agenda/new?{query}").status_code in (200, 400)


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "x" * 100_000},
        {"description": "x" * 30_000},
        {"speakers-0-name": "n" * 500},
        {"speakers-99-name": "Långt bort"},
        {"speakers-0-speaker": "1" * 40},
        {"speakers-0-speaker": "-5"},
        {"speakers-0-speaker": "²"},  # a digit to str.isdigit(), not to int()
        {"starts_at": "10:00:00:00"},
        {"day": "2027-02-30"},
        {"title": "<script>alert(1)</script>"},
        {"title": "Nul\x00byte"},
    ],
)
def test_hostile_forms_never_give_a_500(client, logged_in, conference, changes):
    response = client.post(f"/manage/events/{conference.id}/agenda/new", data=item_form(**changes))
    assert response.status_code in (302, 400)
    assert "<script>alert" not in text(response)
    for item in items():
        assert "<script>" not in item.description_html
