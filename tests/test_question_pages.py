"""The organiser's side of registration questions: building the form, the common questions,
turning a fixed field into a question, and the answers in the participant list, its filter,
the CSV, the printable list, the counts on the event page, the data export and erasure."""

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.demo.questions import add_questions
from app.extensions import db
from app.models import AuditEntry, FormAnswer, FormQuestion, Registration
from app.models.types import utcnow
from app.services import personal_data, questions, registrations
from app.services.questions import QuestionDetails
from app.services.registrations import RegistrationDetails
from tests.test_erasure import places_holding


@pytest.fixture
def event(make_event, organiser, auth):
    auth.login(organiser)
    return make_event(capacity=3, organisers=[organiser])


def question_named(event, text) -> FormQuestion:
    db.session.expire_all()
    return db.session.scalar(
        select(FormQuestion).where(FormQuestion.event_id == event.id, FormQuestion.text_sv == text)
    )


def option(question, text) -> int:
    return next(o.id for o in question.options if o.text_sv == text)


def add(event, email, answers: dict | None = None, **fields) -> Registration:
    """Register through the service with answers {question: [values]} as a form sends them."""
    raw = {question.id: [str(v) for v in values] for question, values in (answers or {}).items()}
    checked = questions.check_answers(questions.event_questions(event), raw)
    assert not checked.problems, checked.problems
    details = RegistrationDetails(
        name=fields.pop("name", email.split("@")[0].title()),
        email=email,
        sector="municipality",
        consent=True,
        answers=checked,
        **fields,
    )
    return registrations.register(event, details, locale="sv").registration


def test_the_pages_are_for_the_events_organisers_only(client, auth, make_event, make_user, organiser):
    event = make_event(organisers=[organiser])
    question = questions.add_question(event, QuestionDetails(kind="short_text", text_sv="Roll"), by=organiser)
    auth.login(make_user())
    for url in (f"/manage/events/{event.id}/questions", f"/manage/events/{event.id}/questions/new"):
        assert client.get(url).status_code == 403, url
    for url in (
        f"/manage/events/{event.id}/questions/{question.id}/remove",
        f"/manage/events/{event.id}/questions/template",
    ):
        assert client.post(url, data={"template": "dinner"}).status_code == 403, url
    assert question_named(event, "Roll").archived_at is None
    assert db.session.scalar(select(func.count()).select_from(FormQuestion)) == 1


def test_an_organiser_builds_the_form_moves_and_removes_questions(client, event):
    page = client.get(f"/manage/events/{event.id}").get_data(as_text=True)
    assert f"/manage/events/{event.id}/questions" in page
    response = client.post(
        f"/manage/events/{event.id}/questions/new",
        data={
            "kind": "single_choice",
            "text_sv": "Specialkost?",
            "text_en": "Special diet?",
            "help_sv": "Vi ordnar lunch.",
            "options_sv": "Nej\nVegetariskt\nAnnat",
            "options_en": "No\nVegetarian\nOther",
        },
    )
    assert response.status_code == 302
    diet = question_named(event, "Specialkost?")
    assert [o.text_en for o in diet.options] == ["No", "Vegetarian", "Other"] and diet.help_sv == "Vi ordnar lunch."
    # A question shown only on an earlier answer; the choice lists the earlier answers only.
    form = client.get(f"/manage/events/{event.id}/questions/new").get_data(as_text=True)
    assert "Specialkost? = Annat" in form
    client.post(
        f"/manage/events/{event.id}/questions/new",
        data={"kind": "short_text", "text_sv": "Vilken?", "required": "y", "shown_if": str(option(diet, "Annat"))},
    )
    which = question_named(event, "Vilken?")
    assert which.shown_if_option_id == option(diet, "Annat") and which.required
    # Bad input: a clear message, nothing saved.
    response = client.post(
        f"/manage/events/{event.id}/questions/new",
        data={"kind": "single_choice", "text_sv": "Bara ett val", "options_sv": "Ja", "shown_if": "999999"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Ge minst två svarsalternativ" in page
    assert question_named(event, "Bara ett val") is None
    # "Vilken?" cannot move above the answer it depends on.
    client.post(f"/manage/events/{event.id}/questions/{which.id}/up")
    assert question_named(event, "Vilken?").position > question_named(event, "Specialkost?").position
    client.post(f"/manage/events/{event.id}/questions/template", data={"template": "dinner"}, follow_redirects=True)
    dinner = question_named(event, "Deltar du på middagen?")
    assert [o.text_sv for o in dinner.options] == ["Ja", "Nej"] and dinner.required
    client.post(f"/manage/events/{event.id}/questions/{dinner.id}/up")
    assert question_named(event, "Deltar du på middagen?").position < question_named(event, "Vilken?").position
    page = client.get(f"/manage/events/{event.id}/questions").get_data(as_text=True)
    assert "1. Specialkost?" in page and "2. Deltar du på middagen?" in page and "3. Vilken?" in page
    # Renaming a choice keeps the others (and their answers); the removed one is archived.
    client.post(
        f"/manage/events/{event.id}/questions/{diet.id}/edit",
        data={"kind": "single_choice", "text_sv": "Specialkost?", "options_sv": "Nej\nVeganskt\nAnnat"},
    )
    diet = question_named(event, "Specialkost?")
    assert [o.text_sv for o in diet.options if o.archived_at] == ["Vegetariskt"]
    assert [o.text_sv for o in sorted(diet.active_options, key=lambda o: o.position)] == ["Nej", "Veganskt", "Annat"]
    response = client.post(f"/manage/events/{event.id}/questions/{diet.id}/remove", follow_redirects=True)
    assert "Frågan är borttagen ur formuläret" in response.get_data(as_text=True)
    assert question_named(event, "Specialkost?").archived_at is not None
    assert question_named(event, "Vilken?").shown_if_option_id is None
    assert client.get(f"/manage/events/{event.id}/questions/{diet.id}/edit").status_code == 404
    assert db.session.scalar(select(func.count()).where(AuditEntry.action.like("question.%"))) >= 6


def test_a_fixed_field_turned_into_a_question_keeps_every_answer(client, event):
    add(event, "a@example.se", dietary_needs="Glutenfri")
    add(event, "b@example.se")
    assert 'name="dietary_needs"' in client.get(f"/events/{event.id}/register").get_data(as_text=True)
    client.post(f"/manage/events/{event.id}/questions/template", data={"template": "dietary_needs"})
    diet = question_named(event, "Specialkost")
    assert db.session.scalars(select(FormAnswer.text).where(FormAnswer.question_id == diet.id)).all() == ["Glutenfri"]
    assert db.session.scalar(select(func.count()).where(Registration.dietary_needs != "")) == 0
    page = client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert 'name="dietary_needs"' not in page and f'name="q-{diet.id}"' in page
    assert 'name="accessibility_needs"' in page
    # Removed again, the field does not come back, and the answers stay in the CSV.
    client.post(f"/manage/events/{event.id}/questions/{diet.id}/remove")
    assert 'name="dietary_needs"' not in client.get(f"/events/{event.id}/register").get_data(as_text=True)
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/manage/events/{event.id}/participants.csv").data.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows[0][-1] == "Specialkost (borttagen)"
    assert {row[1]: row[-1] for row in rows[1:]} == {"a@example.se": "Glutenfri", "b@example.se": ""}


def two_questions(event, organiser):
    dinner = questions.add_template(event, "dinner", by=organiser)
    diet = questions.add_template(event, "special_diet", by=organiser)
    return question_named(event, dinner.text_sv), question_named(event, diet.text_sv)


def test_answers_in_the_list_its_filter_the_csv_the_printout_and_the_counts(client, event, organiser):
    dinner, diet = two_questions(event, organiser)
    yes, no, veg = option(dinner, "Ja"), option(dinner, "Nej"), option(diet, "Vegetariskt")
    add(event, "anna@example.se", {dinner: [yes], diet: [veg]}, name="Anna Ek")
    add(event, "bo@example.se", {dinner: [yes]}, name="Bo Ek")
    add(event, "cia@example.se", {dinner: [no]}, name="Cia Ek")
    add(event, "dan@example.se", {dinner: [yes]}, name="Dan Ek")  # on the waiting list: not counted

    page = client.get(f"/manage/events/{event.id}").get_data(as_text=True)
    assert "2 Ja, 1 Nej" in page and "0 Nej, 1 Vegetariskt, 0 Veganskt, 0 Annat" in page

    page = client.get(f"/manage/events/{event.id}/participants").get_data(as_text=True)
    assert "Deltar du på middagen?: Ja<br>Specialkost?: Vegetariskt" in page
    page = client.get(f"/manage/events/{event.id}/participants?answer={veg}").get_data(as_text=True)
    assert "Anna Ek" in page and "Bo Ek" not in page
    page = client.get(f"/manage/events/{event.id}/participants?answer=999999").get_data(as_text=True)
    assert "Okänt svar; visar alla." in page and "Cia Ek" in page

    data = client.get(f"/manage/events/{event.id}/participants.csv?answer={yes}").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert rows[0][-2:] == ["Deltar du på middagen?", "Specialkost?"]
    assert sorted((row[0], row[-2], row[-1]) for row in rows[1:]) == [
        ("Anna Ek", "Ja", "Vegetariskt"),
        ("Bo Ek", "Ja", ""),
        ("Dan Ek", "Ja", ""),
    ]
    page = client.get(f"/manage/events/{event.id}/participants/print").get_data(as_text=True)
    assert '<th scope="col">Specialkost?</th>' in page and "<td>Vegetariskt</td>" in page


def test_the_export_holds_the_answers_and_erasure_and_the_purge_remove_them(client, event, organiser):
    dinner, diet = two_questions(event, organiser)
    role = questions.add_template(event, "role", by=organiser)
    anna = add(event, "anna@example.se", {dinner: [option(dinner, "Ja")], role: ["Rektor Annasdotter"]})
    questions.archive(question_named(event, "Din roll eller titel"), by=organiser)
    data = personal_data.export(anna)
    assert data["registration"]["answers"] == [
        {"question": "Deltar du på middagen?", "answer": "Ja"},
        {"question": "Din roll eller titel", "answer": "Rektor Annasdotter"},
    ]
    assert places_holding("Annasdotter")
    # The page that asks before erasing says the answers go too.
    assert "Dina svar på evenemangets egna frågor." in client.get(f"/r/{anna.manage_token}/erase").get_data(
        as_text=True
    )
    personal_data.erase(db.session.get(Registration, anna.id))
    assert places_holding("Annasdotter") == []
    assert db.session.scalar(select(func.count()).select_from(FormAnswer)) == 0

    bo = add(event, "bo@example.se", {dinner: [option(dinner, "Nej")]})
    event = db.session.get(type(event), event.id)
    event.starts_at = utcnow() - timedelta(days=800)
    event.ends_at = event.starts_at + timedelta(hours=7)
    db.session.commit()
    personal_data.purge_expired()
    assert db.session.get(Registration, bo.id).erased_at is not None
    assert db.session.scalar(select(func.count()).select_from(FormAnswer)) == 0


def test_the_demo_questions_come_with_answers_and_are_added_once(client, event, organiser):
    for n in range(3):
        add(event, f"p{n}@example.se", municipality="Gävle")
    add_questions(event)
    add_questions(event)
    asked = questions.event_questions(event)
    assert [q.text_sv for q in asked] == [
        "Deltar du på middagen?",
        "Specialkost?",
        "Vilken?",
        "Vilken kommun eller vilket lärosäte företräder du?",
    ]
    assert db.session.scalar(select(func.count(func.distinct(FormAnswer.registration_id)))) == 3
    page = client.get(f"/manage/events/{event.id}").get_data(as_text=True)
    assert f'data-answer-counts="{asked[0].id}"' in page


def test_a_duplicated_event_asks_the_same_questions(client, event, organiser):
    dinner, diet = two_questions(event, organiser)
    questions.update_question(
        diet,
        QuestionDetails(
            kind="single_choice",
            text_sv="Specialkost?",
            options_sv=["Nej", "Vegetariskt", "Veganskt", "Annat"],
            shown_if_option_id=option(dinner, "Ja"),
        ),
        by=organiser,
    )
    questions.add_template(event, "dietary_needs", by=organiser)
    questions.archive(question_named(event, "Specialkost"), by=organiser)
    questions.add_template(event, "role", by=organiser)
    questions.archive(question_named(event, "Din roll eller titel"), by=organiser)
    response = client.post(f"/manage/events/{event.id}/duplicate")
    copy_id = int(re.search(r"/events/(\d+)", response.headers["Location"]).group(1))
    copy = db.session.get(type(event), copy_id)
    asked = questions.event_questions(copy)
    assert [(q.text_sv, q.archived_at is None) for q in asked] == [
        ("Deltar du på middagen?", True),
        ("Specialkost?", True),
        ("Specialkost", False),
    ]
    assert asked[1].shown_if_option_id == option(asked[0], "Ja") != option(dinner, "Ja")
    page = client.get(f"/manage/events/{copy.id}/questions").get_data(as_text=True)
    assert "Gör om ”Specialkost”" not in page and "Gör om ”Tillgänglighet”" in page


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("shown_if", "²", None),  # not a number int() reads: no condition, and no 500
        ("shown_if", "9" * 5000, None),
        ("options_en", "No\n" + "x" * 201, "högst 200 tecken"),
    ],
)
def test_odd_question_input_is_refused_or_ignored_never_a_500(client, event, field, value, message):
    data = {"kind": "single_choice", "text_sv": "Specialkost?", "options_sv": "Nej\nVegetariskt", field: value}
    answer = client.post(f"/manage/events/{event.id}/questions/new", data=data)
    if message is None:
        assert answer.status_code == 302
        assert question_named(event, "Specialkost?").shown_if_option_id is None
    else:
        assert answer.status_code == 400 and message in answer.get_data(as_text=True)
        assert question_named(event, "Specialkost?") is None
