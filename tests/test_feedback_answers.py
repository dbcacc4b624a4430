"""Answering the survey through the personal link: one response per registration, editable
until the survey closes, clear messages for bad answers, and anonymity that holds."""

from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import (
    OutboxMessage,
    Registration,
    SurveyAnswer,
    SurveyRespondent,
    SurveyResponse,
)
from app.models.types import utcnow
from app.services import surveys
from app.services.surveys import answering
from tests.feedback_data import answers, links, participant, past_event, question, survey_for


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def event(make_event, organiser):
    return past_event(make_event, organiser)


def invited(event, *, anonymous, **person):
    """A survey, one participant and their personal link (as the worker makes it)."""
    survey = survey_for(event, anonymous=anonymous)
    registration = participant(event, **person)
    surveys.send_due_survey_mail()
    return survey, registration, f"/s/{links(survey)[registration.id].token}"


def stored_numbers(survey, key) -> list[int]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(SurveyAnswer.number).where(SurveyAnswer.question_id == question(survey, key).id))
    )


# The personal link


def test_the_link_opens_the_survey_privately(client, event):
    _, _, path = invited(event, anonymous=False)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "Vilket helhetsbetyg ger du evenemanget?" in page
    assert '1</span> <span class="rating-end">Mycket dåligt' in page
    assert "kopplade till din anmälan" in page


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[:-1],
        lambda token: token + "x",
        lambda token: "x" * 43,
        lambda token: token.swapcase(),
    ],
)
def test_a_tampered_link_gives_a_friendly_404(client, event, tamper):
    _, _, path = invited(event, anonymous=False)
    token = path.removeprefix("/s/")
    response = client.get(f"/s/{tamper(token)}")
    assert response.status_code == 404
    assert "Kontrollera att du kopierade hela länken från mejlet med enkäten." in response.get_data(as_text=True)
    assert client.post(f"/s/{tamper(token)}", data={}).status_code == 404


def test_an_english_speaker_sees_the_english_texts(client, event):
    _, _, path = invited(event, anonymous=False)
    client.set_cookie("lang", "en")
    page = client.get(path).get_data(as_text=True)
    assert "What is your overall rating of the event?" in page and "Very good" in page


def test_before_it_opens_and_after_it_closes_the_page_says_so_kindly(client, event):
    survey, registration, path = invited(event, anonymous=False)
    survey.opens_at = utcnow() + timedelta(days=1)
    db.session.commit()
    page = client.get(path).get_data(as_text=True)
    assert "Enkäten öppnar" in page and "Välkommen tillbaka då!" in page
    assert 'name="q' not in page
    response = client.post(path, data=answers(survey))
    assert response.status_code == 200 and count(SurveyResponse) == 0

    survey.opens_at, survey.closes_at = None, utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(path).get_data(as_text=True)
    assert "Enkäten stängde" in page and "Tack för ditt intresse!" in page
    client.post(path, data=answers(survey))
    assert count(SurveyResponse) == 0


# One response per registration, editable


def test_a_second_answer_through_the_same_link_edits_the_first(client, event):
    survey, registration, path = invited(event, anonymous=False)
    first = client.post(path, data=answers(survey, overall="3"))
    assert first.status_code == 302 and first.headers["Location"] == path
    assert "Tack! Dina svar är sparade." in client.get(path).get_data(as_text=True)

    page = client.get(path).get_data(as_text=True)
    overall = question(survey, "overall")
    assert f'id="q{overall.id}-3" value="3" checked' in page
    assert "Du har svarat." in page and "Spara mina svar" in page

    client.post(path, data=answers(survey, overall="5", future=("Webbinarier", "Workshoppar")))
    assert "Dina ändringar är sparade." in client.get(path).get_data(as_text=True)
    assert count(SurveyResponse) == 1 and count(SurveyRespondent) == 1
    assert stored_numbers(survey, "overall") == [5]
    [response] = db.session.scalars(select(SurveyResponse)).all()
    assert response.registration_id == registration.id
    future = [a.option_id for a in response.answers if a.question_id == question(survey, "future_events").id]
    assert len(future) == 2


def test_a_double_click_that_races_the_first_answer_edits_it_instead_of_counting_twice(client, event, monkeypatch):
    survey, registration, path = invited(event, anonymous=False)
    client.post(path, data=answers(survey, overall="2"))
    # The second request looked for a response before the first had committed it.
    real = surveys.response_for
    calls = []

    def not_yet(link, edit_key=None):
        calls.append(link)
        return None if len(calls) == 1 else real(link, edit_key)

    monkeypatch.setattr(answering, "response_for", not_yet)
    client.post(path, data=answers(survey, overall="4"))
    assert count(SurveyResponse) == 1 and count(SurveyRespondent) == 1
    assert stored_numbers(survey, "overall") == [4]


def test_the_database_refuses_a_second_response_for_a_registration(event):
    survey, registration, _ = invited(event, anonymous=False)
    db.session.add(SurveyRespondent(survey_id=survey.id, registration_id=registration.id))
    db.session.commit()
    db.session.add(SurveyRespondent(survey_id=survey.id, registration_id=registration.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add_all([SurveyResponse(survey_id=survey.id, registration_id=registration.id) for _ in range(2)])
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


# Bad and missing answers


def test_missing_required_answers_are_named_next_to_each_question_and_nothing_is_saved(client, event):
    survey, _, path = invited(event, anonymous=False)
    response = client.post(path, data=answers(survey, overall="", validation=None, valuable="Bra dag"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Rätta de markerade frågorna." in page
    overall, validation = question(survey, "overall"), question(survey, "more_validation")
    assert f'id="q{overall.id}-error" class="invalid-feedback d-block mb-2">Välj ett betyg från 1 till 5.' in page
    assert f'id="q{validation.id}-error" class="invalid-feedback d-block mb-2">Välj ett av svaren.' in page
    assert f'aria-describedby="q{overall.id}-error"' in page
    assert "Bra dag" in page  # what was typed stays
    assert count(SurveyResponse) == 0 and count(SurveyAnswer) == 0 and count(SurveyRespondent) == 0


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("overall", "6", "Välj ett betyg från 1 till 5."),
        ("overall", "3.5", "Välj ett betyg från 1 till 5."),
        ("overall", ["3", "4"], "Välj ett betyg från 1 till 5."),
        ("more_validation", "999999", "Välj bland svarsalternativen som visas."),
        ("future_events", ["abc"], "Välj bland svarsalternativen som visas."),
        ("most_valuable", "x" * 5001, "Högst 5000 tecken."),
    ],
)
def test_bad_answers_get_a_clear_message_and_change_nothing(client, event, key, value, message):
    survey, _, path = invited(event, anonymous=False)
    client.post(path, data=answers(survey, overall="2"))
    form = answers(survey, overall="5")
    form[f"q{question(survey, key).id}"] = value
    response = client.post(path, data=form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stored_numbers(survey, "overall") == [2]


def test_an_option_of_another_question_is_refused(client, event):
    survey, _, path = invited(event, anonymous=False)
    form = answers(survey)
    foreign = question(survey, "future_events").options[0].id
    form[f"q{question(survey, 'more_validation').id}"] = str(foreign)
    assert client.post(path, data=form).status_code == 400
    assert count(SurveyResponse) == 0


def test_optional_questions_may_be_left_empty_and_yes_no_questions_work(client, event, organiser):
    survey, _, path = invited(event, anonymous=False)
    surveys.add_question(survey, surveys.QuestionDetails(kind="yes_no", text_sv="Kommer du igen?"), organiser)
    yes_no = survey.questions[-1]
    form = answers(survey, valuable="", future=())
    form[yes_no.field_name] = "no"
    assert client.post(path, data=form).status_code == 302
    assert stored_numbers(survey, "overall") == [4]
    db.session.expire_all()
    assert db.session.scalar(select(SurveyAnswer.number).where(SurveyAnswer.question_id == yes_no.id)) == 0
    page = client.get(path).get_data(as_text=True)
    assert f'id="{yes_no.field_name}-no" value="no" checked' in page
    form[yes_no.field_name] = "perhaps"
    assert "Svara ja eller nej." in client.post(path, data=form).get_data(as_text=True)


# Anonymity


def test_an_anonymous_answer_is_stored_with_no_link_to_the_person(client, event):
    survey, registration, path = invited(event, anonymous=True, name="Karin Lind")
    messages_before = count(OutboxMessage)
    response = client.post(path, data=answers(survey, valuable="Samtalen med Komvux"))
    assert response.status_code == 302

    [stored] = db.session.scalars(select(SurveyResponse)).all()
    assert stored.registration_id is None and stored.registration is None
    assert stored.submitted_on is None  # no time that could be matched with anything else
    assert stored.edit_key_hash and registration.email not in stored.edit_key_hash
    assert links(survey)[registration.id].token not in stored.edit_key_hash
    # Only the fact that the person answered is kept, apart from the answers, with no time.
    [respondent] = db.session.scalars(select(SurveyRespondent)).all()
    assert respondent.registration_id == registration.id
    assert set(inspect(SurveyRespondent).columns.keys()) == {"survey_id", "registration_id"}
    assert inspect(SurveyRespondent).relationships.keys() == []
    assert set(inspect(SurveyResponse).columns.keys()) == {
        "id",
        "survey_id",
        "registration_id",
        "edit_key_hash",
        "submitted_on",
    }
    # Ids are random, so their order tells nothing either.
    assert stored.id > 2**31 and all(a.id > 2**31 for a in stored.answers)
    # Answering sends no mail (a timestamped message would tell when this person answered).
    assert count(OutboxMessage) == messages_before
    # Nothing joins an answer to a registration.
    linked = db.session.scalar(
        select(func.count())
        .select_from(SurveyAnswer)
        .join(SurveyResponse, SurveyAnswer.response_id == SurveyResponse.id)
        .join(Registration, SurveyResponse.registration_id == Registration.id)
    )
    assert linked == 0


def test_an_anonymous_answer_is_changed_only_from_the_browser_that_gave_it(client, app, event):
    survey, registration, path = invited(event, anonymous=True)
    response = client.post(path, data=answers(survey, overall="2", valuable="Hemligt svar"))
    cookie = response.headers["Set-Cookie"]
    assert "survey_key=" in cookie and "HttpOnly" in cookie and f"Path={path}" in cookie
    assert "SameSite=Lax" in cookie

    page = client.get(path).get_data(as_text=True)
    assert "Hemligt svar" in page and "Du har svarat." in page
    client.post(path, data=answers(survey, overall="5", valuable="Ändrat svar"))
    assert count(SurveyResponse) == 1 and stored_numbers(survey, "overall") == [5]

    # Anyone else with the link (an organiser reading the sent mail, say) sees no answers.
    other = app.test_client()
    page = other.get(path).get_data(as_text=True)
    assert "Ändrat svar" not in page and "Du har redan svarat" in page
    assert 'name="q' not in page
    other.post(path, data=answers(survey, overall="1"))
    assert count(SurveyResponse) == 1 and stored_numbers(survey, "overall") == [5]
    # A made-up key opens nothing.
    other.set_cookie("survey_key", "made-up", path=path)
    assert "Ändrat svar" not in other.get(path).get_data(as_text=True)


def _post_all_at_once(url: str, form: dict, times: int) -> list[int]:
    """`times` submits of the same form at the same moment over real HTTP (a frantic double click)."""
    import threading
    from urllib.parse import urlsplit

    from tests.visitor import Visitor

    parts = urlsplit(url)
    visitors = [Visitor(f"{parts.scheme}://{parts.netloc}") for _ in range(times)]
    tokens = [visitor.get(parts.path).csrf_token() for visitor in visitors]
    start = threading.Barrier(times)
    statuses: list[int] = []

    def submit(visitor, token):
        start.wait()
        statuses.append(visitor.send(parts.path, form, token=token).status)

    threads = [threading.Thread(target=submit, args=pair) for pair in zip(visitors, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for visitor in visitors:
        visitor.close()
    return statuses


@pytest.mark.parametrize("anonymous", [False, True])
def test_simultaneous_submits_through_one_link_count_once(live_server, event, anonymous):
    survey, _, path = invited(event, anonymous=anonymous)
    statuses = _post_all_at_once(live_server + path, answers(survey, overall="3"), times=8)
    # Named: every submit saves (the later ones edit). Anonymous: the first saves, the others
    # are told the survey was already answered (they hold no key to the first answer).
    assert all(status in (200, 302) for status in statuses), statuses
    assert statuses.count(302) == (8 if not anonymous else 1)
    assert count(SurveyResponse) == 1 and count(SurveyRespondent) == 1
    assert stored_numbers(survey, "overall") == [3]
