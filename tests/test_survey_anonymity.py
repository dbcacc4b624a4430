"""Anonymous answers cannot be tied to their respondent, not even by what the database
records about writing them (PostgreSQL's transaction ids, the order rows are stored
in); and small groups are not shown in a way that points to a person."""

import pytest
from sqlalchemy import select, text
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import SurveyRespondent
from app.services import surveys
from app.services.surveys import results as survey_results
from tests.conftest import require_postgres
from tests.feedback_data import answers, links, participant, past_event, survey_for


@pytest.fixture
def answered(make_event, organiser):
    """Eight people answer an anonymous survey one after the other; their edit keys in order."""

    def answer(count=8, *, anonymous=True, valuable="Nätverket"):
        event = past_event(make_event, organiser)
        survey = survey_for(event, anonymous=anonymous)
        people = [participant(event) for _ in range(count)]
        surveys.send_due_survey_mail()
        by_person = links(survey)
        keys = []
        for person in people:
            form = MultiDict(answers(survey, valuable=f"{valuable} {person.id}"))
            keys.append(surveys.submit(by_person[person.id], form).edit_key)
        return survey, people, keys

    return answer


def _response_ids_in_answer_order(keys) -> list[int]:
    return [
        db.session.scalar(
            text("SELECT id FROM survey_response WHERE edit_key_hash = :h"), {"h": surveys.edit_key_hash(key)}
        )
        for key in keys
    ]


def test_no_transaction_ties_an_anonymous_answer_to_its_respondent(answered):
    require_postgres("transaction ids (xmin) are PostgreSQL's")
    survey, people, _ = answered()
    respondents = dict(
        db.session.execute(
            text("SELECT registration_id, xmin::text FROM survey_respondent WHERE survey_id = :s"), {"s": survey.id}
        ).all()
    )
    responses = db.session.execute(
        text("SELECT xmin::text, count(*) FROM survey_response WHERE survey_id = :s GROUP BY xmin::text"),
        {"s": survey.id},
    ).all()
    answers_by_xmin = dict(
        db.session.execute(
            text(
                "SELECT a.xmin::text, count(DISTINCT a.response_id) FROM survey_answer a "
                "JOIN survey_response r ON r.id = a.response_id WHERE r.survey_id = :s GROUP BY a.xmin::text"
            ),
            {"s": survey.id},
        ).all()
    )
    # Every transaction that wrote responses wrote several: none is one person's alone.
    assert all(count > 1 for _, count in responses), responses
    assert all(count > 1 for count in answers_by_xmin.values()), answers_by_xmin
    # The last respondent's transaction rewrote all eight: it points to no single response.
    last = respondents[people[-1].id]
    assert dict(responses)[last] == len(people)


def test_the_stored_order_is_not_the_order_people_answered_in(answered):
    survey, _, keys = answered()
    in_answer_order = _response_ids_in_answer_order(keys)
    if db.engine.dialect.name == "postgresql":
        stored = "SELECT id FROM survey_response WHERE survey_id = :s ORDER BY ctid"
    else:
        stored = "SELECT id FROM survey_response WHERE survey_id = :s ORDER BY rowid"
    in_stored_order = list(db.session.scalars(text(stored), {"s": survey.id}))
    assert sorted(in_stored_order) == sorted(in_answer_order)
    assert in_stored_order != in_answer_order  # a shuffle of 8: the same order 1 time in 40,320


def test_a_respondent_can_still_change_an_answer_after_others_were_rewritten(answered):
    survey, people, keys = answered(3)
    link = links(survey)[people[0].id]
    form = MultiDict(answers(survey, overall="1", valuable="Ändrat"))
    assert surveys.submit(link, form, edit_key=keys[0]).created is False
    db.session.expire_all()
    assert db.session.scalar(select(SurveyRespondent.registration_id).limit(1)) is not None
    texts = [t for result in survey_results.results(survey).questions for t in result.texts]
    assert texts == []  # three answers: fewer than five, so the free texts stay hidden


def test_anonymous_free_text_shows_from_five_answers(answered, app):
    survey, _, _ = answered(4)
    results = survey_results.results(survey)
    free = [result for result in results.questions if result.question.kind.value == "free_text" and result.answered]
    assert free and all(result.withheld and result.texts == [] for result in free)
    with pytest.raises(survey_results.TooFewResponses):
        survey_results.responses_csv(survey)

    app.config["FEEDBACK_MIN_GROUP"] = 4
    try:
        results = survey_results.results(survey)
        assert any(result.texts for result in results.questions)
        assert survey_results.responses_csv(survey)
    finally:
        app.config["FEEDBACK_MIN_GROUP"] = 5


def test_a_named_survey_shows_a_small_group_only_as_a_count(answered):
    from app.models import Sector

    survey, people, _ = answered(6, anonymous=False)
    people[0].sector = Sector.EMPLOYER
    db.session.commit()
    small = survey_results.results(survey, survey_results.Filters(sector=Sector.EMPLOYER))
    assert small.responses == 1 and small.withheld
    assert all(result.chart is None and result.texts == [] for result in small.questions)
    with pytest.raises(survey_results.TooFewResponses):
        survey_results.responses_csv(survey, survey_results.Filters(sector=Sector.EMPLOYER))
    everyone = survey_results.results(survey)  # named and unfiltered: the organiser sees who said what
    assert not everyone.withheld and any(result.texts for result in everyone.questions)
