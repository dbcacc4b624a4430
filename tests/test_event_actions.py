"""The organiser's event page groups its steps by when they come, the next one first and the
only primary button; each step appears once."""

import re
from datetime import timedelta

import pytest

from app.models import EventStatus
from app.models.types import utcnow
from app.services.events import Phase, phase


@pytest.fixture
def logged_in(auth, organiser):
    auth.login(organiser)
    return organiser


def actions_of(client, event) -> str:
    page = client.get(f"/manage/events/{event.id}").get_data(as_text=True)
    return page.split('class="event-actions', 1)[1].split('<dl class="event-facts', 1)[0]


def primary(actions: str) -> list[str]:
    return re.findall(r'class="btn btn-primary"[^>]*>([^<]+)<', actions)


def group_labels(actions: str) -> list[str]:
    return re.findall(r'<h2 id="actions-[a-z]+" class="event-action-heading">([^<]+)</h2>', actions)


def test_a_draft_leads_with_publish_then_groups_the_rest(client, logged_in, make_event):
    event = make_event(organisers=[logged_in], status=EventStatus.DRAFT)
    actions = actions_of(client, event)
    assert primary(actions) == ["Publicera"]
    assert group_labels(actions) == ["Före evenemanget", "Under evenemanget", "Efter evenemanget", "Övrigt"]
    assert actions.count(">Publicera<") == 1 and "Ta bort utkastet" in actions
    assert 'role="group" aria-labelledby="actions-before"' in actions
    # Everything else is secondary: one primary button on the page's action area.
    assert actions.count("btn-primary") == 1


@pytest.mark.parametrize(
    ("starts_in", "expected_phase", "main"),
    [
        (timedelta(days=10), Phase.BEFORE, "Deltagare"),
        (timedelta(hours=-1), Phase.DURING, "Incheckning"),
        (timedelta(days=-10), Phase.AFTER, "Utvärdering"),
    ],
)
def test_a_published_event_leads_with_what_comes_next(client, logged_in, make_event, starts_in, expected_phase, main):
    event = make_event(organisers=[logged_in], starts_at=utcnow().replace(microsecond=0) + starts_in)
    assert phase(event) == expected_phase
    actions = actions_of(client, event)
    assert primary(actions) == [main]
    assert actions.count(f">{main}<") == 1  # not repeated in its group
    for label in ("Redigera", "Program", "Inbjudningar", "Rapport", "Kopiera", "Skickad e-post", "Logg"):
        assert label in actions
    assert ("Markera som genomfört" in actions) is (expected_phase == Phase.AFTER)


def test_the_event_page_names_the_contact_or_says_there_is_none(client, logged_in, make_event):
    with_contact = make_event(organisers=[logged_in], contact_name="Eva Berg", contact_email="eva@region.example")
    without = make_event(organisers=[logged_in])
    assert "Eva Berg, eva@region.example" in client.get(f"/manage/events/{with_contact.id}").get_data(as_text=True)
    assert "Lägg till en kontakt<" in client.get(f"/manage/events/{without.id}").get_data(as_text=True)
