"""Feedback surveys for organisers: the default template, settings, editing questions, and
the invitations and reminders the mail worker sends (once each, through the outbox)."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    AuditEntry,
    EventStatus,
    OutboxMessage,
    QuestionKind,
    RegistrationStatus,
    Survey,
    SurveyLink,
    SurveyQuestion,
)
from app.models.types import utcnow
from app.services import ValidationError, mail, surveys
from app.services.surveys import QuestionDetails, SurveySettings
from tests.conftest import local
from tests.feedback_data import answers, links, participant, past_event, question, survey_for
from tests.mailserver import html_part, text_part


def outbox(template=None) -> list[OutboxMessage]:
    db.session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if template:
        query = query.where(OutboxMessage.template == template)
    return list(db.session.scalars(query))


@pytest.fixture
def event(make_event, organiser):
    return past_event(make_event, organiser)


@pytest.fixture
def organiser_client(client, auth, organiser):
    auth.login(organiser)
    return client


# The default template


def test_a_survey_is_made_from_the_default_template_in_swedish_and_english(organiser_client, event, organiser):
    page = organiser_client.get(f"/manage/events/{event.id}/feedback").get_data(as_text=True)
    assert "Skapa enkäten" in page

    response = organiser_client.post(f"/manage/events/{event.id}/feedback/create")
    assert response.headers["Location"].endswith(f"/manage/events/{event.id}/feedback/questions")
    organiser_client.post(f"/manage/events/{event.id}/feedback/create")  # a double click makes no second one

    [survey] = db.session.scalars(select(Survey)).all()
    assert survey.anonymous and survey.reminder_days == 3
    assert survey.opens == event.ends_at and survey.closes == event.ends_at + timedelta(days=14)
    kinds = [(q.key, q.kind, q.required) for q in survey.questions]
    assert kinds == [
        ("overall", QuestionKind.RATING, True),
        ("usefulness", QuestionKind.RATING, True),
        ("most_valuable", QuestionKind.FREE_TEXT, False),
        ("could_be_better", QuestionKind.FREE_TEXT, False),
        ("more_validation", QuestionKind.SINGLE_CHOICE, True),
        ("future_events", QuestionKind.MULTIPLE_CHOICE, False),
    ]
    overall = survey.questions[0]
    assert overall.text_sv == "Vilket helhetsbetyg ger du evenemanget?"
    assert overall.text_en == "What is your overall rating of the event?"
    assert (overall.low_label_sv, overall.high_label_sv) == ("Mycket dåligt", "Mycket bra")
    assert (overall.low_label("en"), overall.high_label("en")) == ("Very poor", "Very good")
    validation = survey.questions[4]
    assert [o.text_sv for o in validation.options] == ["Ja", "Kanske", "Nej"]
    assert [o.text("en") for o in validation.options] == ["Yes", "Maybe", "No"]
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.event_id == event.id)) == "survey.created"

    questions = organiser_client.get(f"/manage/events/{event.id}/feedback/questions").get_data(as_text=True)
    assert "Vilket helhetsbetyg ger du evenemanget?" in questions


def test_a_cancelled_event_gets_no_survey(organiser_client, make_event, organiser):
    event = past_event(make_event, organiser, status=EventStatus.CANCELLED)
    response = organiser_client.post(f"/manage/events/{event.id}/feedback/create", follow_redirects=True)
    assert "Evenemanget är inställt, så det får ingen utvärderingsenkät." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Survey)) == 0


def test_texts_show_in_the_readers_language_and_fall_back_to_swedish(event):
    survey = survey_for(event)
    overall = survey.questions[0]
    overall.text_en = ""
    assert overall.text("en") == overall.text_sv
    overall.text_sv, overall.text_en = "", "Only English"
    assert overall.text("sv") == "Only English"


# Settings: window, reminder, anonymity


def test_settings_are_saved_in_local_time_and_checked(organiser_client, event):
    survey = survey_for(event)
    url = f"/manage/events/{event.id}/feedback/settings"
    assert organiser_client.get(url).status_code == 200

    bad = organiser_client.post(
        url,
        data={
            "anonymous": "named",
            "opens_at": "2099-03-10T09:00",
            "closes_at": "2099-03-01T09:00",
            "reminder_days": "3",
        },
    )
    assert bad.status_code == 400
    assert "Enkäten måste stänga efter att den öppnar." in bad.get_data(as_text=True)
    bad = organiser_client.post(url, data={"anonymous": "named", "reminder_days": "40"})
    assert "Välj från 0 (ingen påminnelse) till 30 dagar." in bad.get_data(as_text=True)
    bad = organiser_client.post(url, data={"anonymous": "maybe", "reminder_days": "3"})
    assert 'id="anonymous-error"' in bad.get_data(as_text=True)
    db.session.refresh(survey)
    assert survey.anonymous and survey.closes_at is None  # nothing half-saved

    early = organiser_client.post(
        url,
        data={
            "anonymous": "named",
            "opens_at": "2000-01-01T09:00",
            "reminder_days": "2",
        },
    )
    assert "tidigast när evenemanget börjar" in early.get_data(as_text=True)

    ok = organiser_client.post(
        url,
        data={
            "anonymous": "named",
            "opens_at": "",
            "closes_at": "2099-03-01T12:00",
            "reminder_days": "2",
        },
    )
    assert ok.status_code == 302
    db.session.refresh(survey)
    assert not survey.anonymous and survey.reminder_days == 2 and survey.opens_at is None
    assert survey.closes_at == local(2099, 3, 1, 12, 0)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "survey.changed")).one()
    assert set(entry.details["fields"]) == {"survey_anonymous", "survey_closes_at", "survey_reminder_days"}


def test_anonymity_cannot_change_once_people_have_answered(event, client):
    survey = survey_for(event, anonymous=True)
    person = participant(event)
    surveys.send_due_survey_mail()
    client.post(f"/s/{links(survey)[person.id].token}", data=answers(survey))
    with pytest.raises(ValidationError) as refused:
        surveys.update_settings(survey, SurveySettings(anonymous=False), None)
    assert "anonymous" in refused.value.problems
    db.session.refresh(survey)
    assert survey.anonymous


# Editing questions

QUESTION = {
    "kind": "single_choice",
    "text_sv": "Hur hittade du hit?",
    "text_en": "How did you find us?",
    "options_sv": "Inbjudan\nWebben\n\nKollega\n",
    "options_en": "Invitation\nThe web\nA colleague",
}


def test_organisers_add_change_move_and_remove_questions(organiser_client, event):
    survey = survey_for(event)
    base = f"/manage/events/{event.id}/feedback/questions"

    response = organiser_client.post(f"{base}/new", data={**QUESTION, "required": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    added = survey.questions[-1]
    assert (added.kind, added.required, added.position) == (QuestionKind.SINGLE_CHOICE, True, 6)
    assert [(o.text_sv, o.text_en) for o in added.options] == [
        ("Inbjudan", "Invitation"),
        ("Webben", "The web"),
        ("Kollega", "A colleague"),
    ]
    option_ids = [o.id for o in added.options]

    organiser_client.post(
        f"{base}/{added.id}/edit",
        data={
            **QUESTION,
            "text_sv": "Hur fick du veta om dagen?",
            "options_sv": "Inbjudan\nWebbplatsen\nKollega",
        },
    )
    db.session.expire_all()
    assert added.text_sv == "Hur fick du veta om dagen?" and not added.required
    assert [o.id for o in added.options] == option_ids  # options keep their ids (and answers)
    assert added.options[1].text_sv == "Webbplatsen"

    organiser_client.post(f"{base}/{added.id}/up")
    db.session.expire_all()
    assert [q.key for q in survey.questions][-2:] == ["", "future_events"]
    first = survey.questions[0]
    organiser_client.post(f"{base}/{first.id}/up")  # already first: nothing moves
    db.session.expire_all()
    assert survey.questions[0].id == first.id

    organiser_client.post(f"{base}/{added.id}/delete")
    db.session.expire_all()
    assert added.id not in [q.id for q in survey.questions]
    assert [q.position for q in survey.questions] == list(range(6))
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action != "survey.created").order_by(AuditEntry.id)
    ).all()
    assert actions == [
        "survey.question_added",
        "survey.question_changed",
        "survey.question_moved",
        "survey.question_removed",
    ]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"text_sv": "", "text_en": ""}, "text_sv", "Skriv frågan på svenska, engelska eller båda."),
        ({"options_sv": "Bara ett", "options_en": ""}, "options_sv", "Ange minst två svar att välja mellan"),
        ({"options_en": "One\nTwo"}, "options_en", "Ange lika många engelska svar som svenska"),
        ({"kind": "essay"}, "kind", None),
        ({"text_sv": "x" * 501}, "text_sv", "Högst 500 tecken."),
        ({"options_sv": "\n".join(f"Svar {n}" for n in range(21)), "options_en": ""}, "options_sv", "Högst 20 svar"),
    ],
)
def test_bad_questions_are_refused_with_a_message_next_to_the_field(organiser_client, event, changes, field, message):
    survey = survey_for(event)
    response = organiser_client.post(f"/manage/events/{event.id}/feedback/questions/new", data={**QUESTION, **changes})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    if message:
        assert message in page
    db.session.expire_all()
    assert len(survey.questions) == 6


def test_once_answered_questions_keep_their_kind_and_options_but_the_wording_can_change(client, event):
    survey = survey_for(event, anonymous=False)
    person = participant(event)
    surveys.send_due_survey_mail()
    client.post(f"/s/{links(survey)[person.id].token}", data=answers(survey))
    validation = question(survey, "more_validation")
    details = QuestionDetails.of(validation)

    with pytest.raises(ValidationError) as refused:
        surveys.update_question(validation, QuestionDetails(**{**vars(details), "kind": "multiple_choice"}), None)
    assert "kind" in refused.value.problems
    with pytest.raises(ValidationError) as refused:
        surveys.update_question(
            validation, QuestionDetails(**{**vars(details), "options_sv": ["Ja", "Nej"], "options_en": []}), None
        )
    assert "options_sv" in refused.value.problems
    with pytest.raises(ValidationError):
        surveys.delete_question(validation, None)

    surveys.update_question(
        validation, QuestionDetails(**{**vars(details), "options_sv": ["Ja!", "Kanske", "Nej"]}), None
    )
    db.session.expire_all()
    assert validation.options[0].text_sv == "Ja!"
    assert db.session.scalar(select(func.count()).select_from(SurveyQuestion)) == 6


def test_the_question_pages_are_not_for_another_events_questions(organiser_client, event, make_event, organiser):
    survey_for(event)
    other = survey_for(past_event(make_event, organiser))
    foreign = other.questions[0]
    assert organiser_client.get(f"/manage/events/{event.id}/feedback/questions/{foreign.id}/edit").status_code == 404
    assert organiser_client.post(f"/manage/events/{event.id}/feedback/questions/{foreign.id}/delete").status_code == 404
    db.session.expire_all()
    assert len(other.questions) == 6


# Opening and closing


def test_the_survey_opens_when_the_event_ends_and_closes_after_14_days(make_event):
    event = make_event()
    survey = survey_for(event)
    assert survey.phase(event.ends_at - timedelta(minutes=1)) == "not_open"
    assert survey.phase(event.ends_at) == "open"
    assert survey.phase(event.ends_at + timedelta(days=14) - timedelta(seconds=1)) == "open"
    assert survey.phase(event.ends_at + timedelta(days=14)) == "closed"
    survey.opens_at = event.starts_at + timedelta(hours=1)
    survey.closes_at = event.ends_at + timedelta(days=2)
    assert survey.is_open(event.starts_at + timedelta(hours=2))
    assert not survey.is_open(event.ends_at + timedelta(days=3))


# Invitations and reminders


def test_invitations_go_once_to_those_who_attended(event):
    survey = survey_for(event)
    came = participant(event, "Karin Lind", status=RegistrationStatus.ATTENDED)
    participant(event, "Bo Borta", status=RegistrationStatus.CONFIRMED)
    participant(event, "Ulla Avanmäld", status=RegistrationStatus.CANCELLED)
    participant(event, "Vera Väntar", status=RegistrationStatus.WAITLISTED)

    assert surveys.send_due_survey_mail() == 1
    assert surveys.send_due_survey_mail() == 0  # once
    [message] = outbox("survey_invitation")
    assert message.recipient == came.email and message.registration_id == came.id and message.event_id == event.id
    assert message.subject == f"Vad tyckte du om {event.title}?"
    link = links(survey)[came.id]
    assert f"http://localhost/s/{link.token}" in message.body_text
    assert len(link.token) >= 43
    assert "anonym" in message.body_text


def test_without_check_in_everyone_confirmed_is_invited(event):
    survey_for(event)
    confirmed = [participant(event, status=RegistrationStatus.CONFIRMED) for _ in range(3)]
    participant(event, status=RegistrationStatus.CANCELLED)
    assert surveys.send_due_survey_mail() == 3
    assert sorted(m.recipient for m in outbox("survey_invitation")) == sorted(r.email for r in confirmed)


def test_nothing_is_sent_before_the_survey_opens_after_it_closes_or_for_events_without_one(make_event, organiser):
    upcoming = make_event(organisers=[organiser])
    survey_for(upcoming)
    participant(upcoming, status=RegistrationStatus.CONFIRMED)
    long_ago = past_event(make_event, organiser, days_ago=20)
    survey_for(long_ago)
    participant(long_ago)
    no_survey = past_event(make_event, organiser)
    participant(no_survey)
    draft = past_event(make_event, organiser, status=EventStatus.DRAFT)
    survey_for(draft)
    participant(draft)
    assert surveys.send_due_survey_mail() == 0
    assert surveys.send_due_survey_mail(now=upcoming.ends_at + timedelta(minutes=1)) == 1
    assert outbox("survey_invitation")[0].event_id == upcoming.id


def test_one_reminder_before_closing_to_those_who_have_not_answered(event, client):
    survey = survey_for(event)
    answered, silent = participant(event), participant(event, locale="en")
    surveys.send_due_survey_mail()
    client.post(f"/s/{links(survey)[answered.id].token}", data=answers(survey))
    closes = survey.closes

    assert surveys.send_due_survey_mail(now=closes - timedelta(days=3, minutes=1)) == 0  # not yet due
    assert surveys.send_due_survey_mail(now=closes - timedelta(days=3)) == 1
    assert surveys.send_due_survey_mail(now=closes - timedelta(days=1)) == 0  # once
    assert surveys.send_due_survey_mail(now=closes + timedelta(minutes=1)) == 0
    [reminder] = outbox("survey_reminder")
    assert reminder.recipient == silent.email
    assert reminder.subject == f"Reminder: what did you think of {event.title}?"
    assert links(survey)[silent.id].reminded_at is not None


def test_someone_invited_after_the_reminder_time_gets_no_reminder_on_top(event):
    survey = survey_for(event)
    survey.reminder_days = 14  # the reminder time is already past when the survey opens
    db.session.commit()
    participant(event)
    assert surveys.send_due_survey_mail() == 1
    assert surveys.send_due_survey_mail(now=utcnow() + timedelta(days=1)) == 0
    assert outbox("survey_reminder") == []


def test_no_reminder_when_switched_off(event):
    survey = survey_for(event)
    survey.reminder_days = 0
    db.session.commit()
    participant(event)
    surveys.send_due_survey_mail()
    assert surveys.send_due_survey_mail(now=survey.closes - timedelta(hours=1)) == 0


def test_the_link_arrives_through_the_real_mail_server_and_opens_the_survey(event, mail_server, client, runner):
    survey_for(event, anonymous=False)
    email, title = participant(event, "Karin Lind").email, event.title

    result = runner.invoke(args=["mail-worker", "--once"])  # the worker queues the invitation, then sends it
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    [received] = mail_server.to(email)
    assert received["Subject"] == f"Vad tyckte du om {title}?"
    [url] = re.findall(r"http://localhost(/s/[A-Za-z0-9_-]+)", text_part(received))
    assert url in html_part(received)
    assert "kopplade till din anmälan" in text_part(received)
    page = client.get(url)
    assert page.status_code == 200 and "Vilket helhetsbetyg ger du evenemanget?" in page.get_data(as_text=True)
    assert mail.deliver_due().handled == 0


def test_the_send_survey_mail_command_queues_what_is_due(event, runner):
    survey_for(event)
    participant(event)
    result = runner.invoke(args=["send-survey-mail"])
    assert result.exit_code == 0
    assert "Queued 1 survey messages." in result.output
    assert db.session.scalar(select(func.count()).select_from(SurveyLink)) == 1
