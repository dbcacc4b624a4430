"""The demo data's feedback: completed surveys on the article's past events, consistent
with who attended, that the results, report and comparison pages can show."""

from sqlalchemy import func, select

from app.demo import DEMO_ORGANISER, load_demo_data
from app.extensions import db
from app.models import (
    Event,
    Registration,
    RegistrationStatus,
    Survey,
    SurveyRespondent,
    SurveyResponse,
    User,
)
from app.services import surveys
from app.services.surveys import results as survey_results


def event_titled(title: str) -> Event:
    return db.session.scalar(select(Event).where(Event.title == title))


def test_the_linkoping_day_has_about_60_named_responses_from_people_who_attended(client, auth):
    load_demo_data()
    linkoping = event_titled("Inspirationsdag om validering i Östergötland")
    survey = surveys.survey_of(linkoping)
    assert not survey.anonymous and survey.phase() == "closed"
    responses = db.session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)).all()
    assert len(responses) == 60
    assert {r.registration.status for r in responses} == {RegistrationStatus.ATTENDED}
    assert all(r.registration.event_id == linkoping.id for r in responses)
    attended = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.event_id == linkoping.id, Registration.status == RegistrationStatus.ATTENDED)
    )
    assert survey_results.invited_count(survey) == attended and attended <= linkoping.capacity
    overall = survey_results.results(survey).questions[0]
    assert overall.answered == 60 and 3.5 < overall.average < 5

    organiser = db.session.scalar(select(User).where(User.email == DEMO_ORGANISER["email"]))
    auth.login(organiser, DEMO_ORGANISER["password"])
    page = client.get(f"/manage/events/{linkoping.id}/feedback").get_data(as_text=True)
    assert "60 av" in page and 'role="img"' in page
    assert client.get(f"/manage/events/{linkoping.id}/report").status_code == 200
    comparison = client.get("/manage/feedback").get_data(as_text=True)
    for label in (
        "2019 · Inspirationsdag",
        "2018 · Nationell konferens",
        "2019 · Regional konferens",
        "2019 · Östergötland",
        "2019 · Kronoberg",
        "2018 · Nationellt",
    ):
        assert label in comparison


def test_anonymous_demo_surveys_keep_answers_apart_from_people_and_send_no_mail():
    load_demo_data()
    kronoberg = surveys.survey_of(event_titled("Uppstartskonferens om validering i Kronoberg"))
    assert kronoberg.anonymous
    responses = db.session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == kronoberg.id)).all()
    assert responses and all(r.registration_id is None and r.submitted_on is None for r in responses)
    respondents = db.session.scalars(
        select(Registration)
        .join(
            SurveyRespondent,
            SurveyRespondent.registration_id == Registration.id,
        )
        .where(SurveyRespondent.survey_id == kronoberg.id)
    ).all()
    assert len(respondents) == len(responses)
    assert {r.status for r in respondents} == {RegistrationStatus.ATTENDED}
    # The demo surveys closed long ago: the mail worker has nothing to send for them.
    assert surveys.send_due_survey_mail() == 0
    assert db.session.scalar(select(func.count()).select_from(Survey)) == 6
