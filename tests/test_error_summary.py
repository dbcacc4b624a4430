"""Every form sent back with problems opens with one summary that lists each problem as a
link to its field (issue 14); the visit form shows all its problems at once, the service's
rules together with the form's own checks."""

import re

from app.extensions import db
from app.models import VisitRequest
from tests import test_feedback_answers as feedback
from tests import test_manage_events as manage_events
from tests import test_registrations as registrations
from tests import test_visits as visits
from tests.feedback_data import answers, question

SUMMARY = re.compile(r"<div [^>]*data-error-summary[^>]*>(.*?)</div>", re.S)


def summary_links(page: str) -> list[tuple[str, str]]:
    """(target id, link text) of each problem in the page's error summary; every target exists."""
    [summary] = SUMMARY.findall(page)
    links = [(target, " ".join(text.split())) for target, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary)]
    for target, _ in links:
        assert f'id="{target}"' in page, f"the summary links to #{target}, which the page lacks"
    return links


def test_the_visit_form_shows_every_problem_at_once_with_a_linked_summary(client):
    response = visits.request_visit(
        client, contact_name=" ", contact_phone="ring mig", audience_sectors=[], consent=None, period_start="14/3/2027"
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    links = dict(summary_links(page))
    # Form checks (name, consent, date) and the service's rules (phone, audience) in one round.
    assert links == {
        "contact_name": "Ange ditt namn.",
        "contact_phone": "Skriv ett telefonnummer med siffror, till exempel 070-123 45 67.",
        "period_start": "Ange ett datum som ÅÅÅÅ-MM-DD.",
        "audience_sectors-0": "Välj minst en grupp som evenemanget är till för.",
        "consent": "Du behöver godkänna integritetspolicyn för att skicka förfrågan.",
    }
    # The name field and its message speak alike.
    assert '<label class="form-label" for="contact_name">Ditt namn</label>' in page
    assert "kontaktpersonens namn" not in page
    assert db.session.query(VisitRequest).count() == 0


def test_the_summary_moves_the_focus_and_is_on_every_page_once(client):
    page = visits.request_visit(client, contact_name="").get_data(as_text=True)
    assert page.count("data-error-summary") == 1
    assert 'tabindex="-1" data-error-summary' in page
    assert "js/forms.js" in page


def test_the_registration_form_lists_and_links_its_problems(client, make_event):
    event = make_event()
    page = registrations.register(client, event, name="", email="inte en adress", consent=None).get_data(as_text=True)
    targets = [target for target, _ in summary_links(page)]
    assert {"name", "email", "consent"} <= set(targets)


def test_the_organisers_event_form_lists_and_links_its_problems(client, auth, organiser):
    auth.login(organiser)
    response = manage_events.post_event(client, title="", capacity="-3")
    assert response.status_code == 400
    targets = [target for target, _ in summary_links(response.get_data(as_text=True))]
    assert {"title", "capacity"} <= set(targets)


def test_the_feedback_form_names_each_question_in_its_summary(client, make_event, organiser):
    event = feedback.event.__wrapped__(make_event, organiser)
    survey, _, path = feedback.invited(event, anonymous=False)
    page = client.post(path, data=answers(survey, overall="", validation=None, valuable="Bra")).get_data(as_text=True)
    overall = question(survey, "overall")
    links = summary_links(page)
    assert any(target == f"q{overall.id}" and text.startswith("Fråga ") for target, text in links)
    assert "Rätta de markerade frågorna." in page


def test_the_login_form_has_the_same_summary(client):
    page = client.post("/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert [target for target, _ in summary_links(page)] == ["email", "password"]
