"""An event's own questions in its registration form: every kind, required and optional,
a question shown only on an earlier answer (checked on the server too), the participant
changing their answers, and the answers kept when the organiser removes a question."""

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import FormAnswer, FormQuestion, Invitation, Registration
from app.models.types import utcnow
from app.services import invitations, mail, questions
from app.services.questions import QuestionDetails
from tests.mailserver import text_part

FORM = {
    "name": "Karin Lind",
    "email": "karin.lind@linkoping.se",
    "organisation": "Linköpings kommun",
    "sector": "municipality",
    "municipality": "Linköping",
    "consent": "y",
}


def ask(event, kind, text, **fields):
    return questions.add_question(event, QuestionDetails(kind=kind, text_sv=text, **fields), by=None)


def option(question, text):
    return next(o for o in question.options if o.text_sv == text)


def dinner_and_diet(event):
    """ "Deltar du på middagen?" (yes/no, required) → "Specialkost?" (single choice) → "Vilken?"."""
    dinner = ask(event, "yes_no", "Deltar du på middagen?", text_en="Will you join the dinner?", required=True)
    diet = ask(
        event,
        "single_choice",
        "Specialkost?",
        options_sv=["Nej", "Vegetariskt", "Annat"],
        options_en=["No", "Vegetarian", "Other"],
        shown_if_option_id=option(dinner, "Ja").id,
    )
    which = ask(event, "short_text", "Vilken?", required=True, shown_if_option_id=option(diet, "Annat").id)
    return dinner, diet, which


def answers_of(email: str) -> dict[str, list]:
    db.session.expire_all()
    registration = db.session.scalar(select(Registration).where(Registration.email == email))
    found: dict[str, list] = {}
    for answer, question in db.session.execute(
        select(FormAnswer, FormQuestion)
        .join(FormQuestion, FormQuestion.id == FormAnswer.question_id)
        .where(FormAnswer.registration_id == registration.id)
        .order_by(FormAnswer.id)
    ):
        value = next((o.text_sv for o in question.options if o.id == answer.option_id), None) or answer.text
        found.setdefault(question.text_sv, []).append(value)
    return found


def test_the_form_asks_the_questions_and_saves_the_answers(client, make_event):
    event = make_event(capacity=10)
    dinner, diet, which = dinner_and_diet(event)
    page = client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert "Deltar du på middagen?" in page and f'data-shown-if="{option(dinner, "Ja").id}"' in page
    assert "Svara bara om: Deltar du på middagen? – Ja" in page
    response = client.post(
        f"/events/{event.id}/register",
        data={
            **FORM,
            f"q-{dinner.id}": str(option(dinner, "Ja").id),
            f"q-{diet.id}": str(option(diet, "Annat").id),
            f"q-{which.id}": "Glutenfritt",
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert answers_of(FORM["email"]) == {
        "Deltar du på middagen?": ["Ja"],
        "Specialkost?": ["Annat"],
        "Vilken?": ["Glutenfritt"],
    }


def test_a_hidden_question_is_not_required_and_its_answer_is_dropped(client, make_event):
    event = make_event(capacity=10)
    dinner, diet, which = dinner_and_diet(event)
    # Without JavaScript every question shows: someone says no to the dinner but fills the rest.
    response = client.post(
        f"/events/{event.id}/register",
        data={
            **FORM,
            f"q-{dinner.id}": str(option(dinner, "Nej").id),
            f"q-{diet.id}": str(option(diet, "Vegetariskt").id),
            f"q-{which.id}": "",
        },
    )
    assert response.status_code == 200
    assert answers_of(FORM["email"]) == {"Deltar du på middagen?": ["Nej"]}


def test_a_required_question_left_empty_or_a_bad_answer_is_refused_and_nothing_is_saved(client, make_event):
    event = make_event(capacity=10)
    dinner, diet, which = dinner_and_diet(event)
    number = ask(event, "number", "Antal nätter")
    day = ask(event, "date", "Ankomstdag")
    response = client.post(
        f"/events/{event.id}/register",
        data={
            **FORM,
            f"q-{dinner.id}": str(option(dinner, "Ja").id),
            f"q-{diet.id}": str(option(diet, "Annat").id),
            f"q-{which.id}": " ",
            f"q-{number.id}": "många",
            f"q-{day.id}": "31/12",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Frågan behöver ett svar." in page
    assert page.count("invalid-feedback d-block") == 3
    assert db.session.scalar(select(Registration)) is None
    # Another participant's option id is no answer either.
    other = ask(make_event(), "yes_no", "Annan fråga")
    response = client.post(f"/events/{event.id}/register", data={**FORM, f"q-{dinner.id}": str(other.options[0].id)})
    assert response.status_code == 400 and db.session.scalar(select(Registration)) is None


def test_numbers_and_dates_are_kept_in_one_form(client, make_event):
    event = make_event(capacity=10)
    number = ask(event, "number", "Antal nätter")
    day = ask(event, "date", "Ankomstdag")
    many = ask(event, "multiple_choice", "Workshoppar", options_sv=["A", "B", "C"])
    response = client.post(
        f"/events/{event.id}/register",
        data={
            **FORM,
            f"q-{number.id}": "2,50",
            f"q-{day.id}": "2027-03-14",
            f"q-{many.id}": [str(option(many, "A").id), str(option(many, "C").id)],
        },
    )
    assert response.status_code == 200
    assert answers_of(FORM["email"]) == {
        "Antal nätter": ["2.5"],
        "Ankomstdag": ["2027-03-14"],
        "Workshoppar": ["A", "C"],
    }


def test_the_participant_changes_answers_on_their_page_and_a_removed_question_keeps_its_answers(client, make_event):
    event = make_event(capacity=10)
    dinner, diet, which = dinner_and_diet(event)
    client.post(f"/events/{event.id}/register", data={**FORM, f"q-{dinner.id}": str(option(dinner, "Nej").id)})
    registration = db.session.scalar(select(Registration))
    page = client.get(f"/r/{registration.manage_token}").get_data(as_text=True)
    assert f'id="q-{dinner.id}-{option(dinner, "Nej").id}" value="{option(dinner, "Nej").id}" checked' in page
    response = client.post(
        f"/r/{registration.manage_token}",
        data={
            **FORM,
            f"q-{dinner.id}": str(option(dinner, "Ja").id),
            f"q-{diet.id}": str(option(diet, "Vegetariskt").id),
        },
    )
    assert response.status_code == 302
    assert answers_of(FORM["email"]) == {"Deltar du på middagen?": ["Ja"], "Specialkost?": ["Vegetariskt"]}

    questions.archive(db.session.get(FormQuestion, diet.id), by=None)
    page = client.get(f"/r/{registration.manage_token}").get_data(as_text=True)
    assert "Specialkost?" not in page
    # Saving the form again leaves the removed question's answer alone.
    client.post(f"/r/{registration.manage_token}", data={**FORM, f"q-{dinner.id}": str(option(dinner, "Ja").id)})
    assert answers_of(FORM["email"])["Specialkost?"] == ["Vegetariskt"]
    # "Vilken?" depended on the removed question: now it is always asked.
    assert db.session.get(FormQuestion, which.id).shown_if_option_id is None


def test_answers_can_no_longer_change_once_registration_has_closed(client, make_event):
    event = make_event(capacity=10)
    dinner, diet, which = dinner_and_diet(event)
    client.post(f"/events/{event.id}/register", data={**FORM, f"q-{dinner.id}": str(option(dinner, "Nej").id)})
    registration = db.session.scalar(select(Registration))
    event.registration_closes_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    page = client.get(f"/r/{registration.manage_token}").get_data(as_text=True)
    assert "Anmälan har stängt, så svaren kan inte längre ändras." in page and f'name="q-{dinner.id}"' not in page
    # The other details still change until the event starts; a forged answer does not.
    response = client.post(
        f"/r/{registration.manage_token}",
        data={**FORM, "organisation": "Region Östergötland", f"q-{dinner.id}": str(option(dinner, "Ja").id)},
    )
    assert response.status_code == 302
    assert db.session.get(Registration, registration.id).organisation == "Region Östergötland"
    assert answers_of(FORM["email"]) == {"Deltar du på middagen?": ["Nej"]}


def test_an_invitee_answers_the_questions_through_their_invitation(client, make_event, organiser):
    event = make_event(capacity=10, invitation_only=True, organisers=[organiser])
    dinner, diet, which = dinner_and_diet(event)
    invitations.import_rows(event, "Karin Lind <karin.lind@linkoping.se>", organiser)
    invitation = db.session.scalar(select(Invitation))
    page = client.get(f"/i/{invitation.token}").get_data(as_text=True)
    assert "Deltar du på middagen?" in page
    response = client.post(
        f"/i/{invitation.token}",
        data={**FORM, f"q-{dinner.id}": str(option(dinner, "Ja").id), f"q-{diet.id}": str(option(diet, "Nej").id)},
    )
    assert response.status_code in (200, 302), response.get_data(as_text=True)
    assert answers_of(FORM["email"]) == {"Deltar du på middagen?": ["Ja"], "Specialkost?": ["Nej"]}


def test_odd_input_gets_a_clear_message_and_saves_nothing(client, make_event):
    event = make_event(capacity=10)
    dinner, diet, which = dinner_and_diet(event)
    long_text = ask(event, "long_text", "Övrigt")
    yes, no = str(option(dinner, "Ja").id), str(option(dinner, "Nej").id)
    cases = [
        ({f"q-{dinner.id}": [yes, no]}, "Välj bara ett svar."),
        ({f"q-{dinner.id}": "ja"}, "Välj ett av svarsalternativen."),
        (
            {f"q-{dinner.id}": yes, f"q-{diet.id}": str(option(diet, "Annat").id), f"q-{which.id}": "a\x1bb"},
            "på en rad",
        ),
        ({f"q-{dinner.id}": no, f"q-{long_text.id}": "x" * 2001}, "Högst 2000 tecken."),
    ]
    for data, message in cases:
        response = client.post(f"/events/{event.id}/register", data={**FORM, **data})
        assert response.status_code == 400 and message in response.get_data(as_text=True), data
    assert db.session.scalar(select(Registration)) is None


def test_a_removed_choice_that_a_question_depended_on_leaves_that_question_always_asked(make_event):
    event = make_event()
    dinner, diet, which = dinner_and_diet(event)
    questions.update_question(
        diet,
        QuestionDetails(kind="single_choice", text_sv="Specialkost?", options_sv=["Nej", "Vegetariskt"]),
        by=None,
    )
    assert db.session.get(FormQuestion, which.id).shown_if_option_id is None


def test_a_long_answer_on_several_lines_is_kept_as_written(client, make_event):
    event = make_event(capacity=10)
    address = ask(event, "long_text", "Fakturaadress", required=True)
    # A browser sends a text area's line breaks as CRLF.
    response = client.post(
        f"/events/{event.id}/register", data={**FORM, f"q-{address.id}": "Storgatan 1\r\n581 83 Linköping"}
    )
    assert response.status_code in (200, 302) and "Titta i din e-post" in response.get_data(as_text=True)
    assert answers_of(FORM["email"]) == {"Fakturaadress": ["Storgatan 1\n581 83 Linköping"]}


def test_an_answer_whose_choice_was_renamed_survives_the_participant_saving_their_page(client, make_event):
    event = make_event(capacity=10)
    diet = ask(event, "single_choice", "Specialkost?", options_sv=["Nej", "Vegetariskt"])
    client.post(f"/events/{event.id}/register", data={**FORM, f"q-{diet.id}": str(option(diet, "Vegetariskt").id)})
    registration = db.session.scalar(select(Registration))
    renamed = QuestionDetails(
        kind="single_choice", text_sv="Specialkost?", options_sv=["Nej", "Vegetariskt (lakto-ovo)"]
    )
    questions.update_question(db.session.get(FormQuestion, diet.id), renamed, by=None)
    # The form no longer offers the old choice, so nothing is sent for the question.
    response = client.post(f"/r/{registration.manage_token}", data={**FORM, "organisation": "Region Östergötland"})
    assert response.status_code == 302
    assert answers_of(FORM["email"]) == {"Specialkost?": ["Vegetariskt"]}
    # Answering the question anew replaces it.
    diet = db.session.get(FormQuestion, diet.id)
    new_choice = next(o for o in diet.active_options if o.text_sv == "Vegetariskt (lakto-ovo)")
    client.post(f"/r/{registration.manage_token}", data={**FORM, f"q-{diet.id}": str(new_choice.id)})
    assert answers_of(FORM["email"]) == {"Specialkost?": ["Vegetariskt (lakto-ovo)"]}


def test_a_question_left_unanswered_is_listed_in_the_error_summary_with_a_link(client, make_event):
    event = make_event(capacity=10)
    dinner = ask(event, "yes_no", "Deltar du på middagen?", required=True)
    town = ask(event, "short_text", "Vilken kommun företräder du?", required=True)
    page = client.post(f"/events/{event.id}/register", data=FORM).get_data(as_text=True)
    summary = page[page.index("data-error-summary") :]
    assert f'href="#q-{dinner.id}-{dinner.options[0].id}"' in summary and f'href="#q-{town.id}"' in summary


def test_the_confirmation_mail_repeats_the_answers_in_the_persons_language(client, make_event, mail_server):
    event = make_event(capacity=1)
    dinner = ask(event, "yes_no", "Deltar du på middagen?", text_en="Will you join the dinner?", required=True)
    note = ask(event, "long_text", "Övrigt", text_en="Anything else")
    client.post(
        f"/events/{event.id}/register",
        data={**FORM, f"q-{dinner.id}": str(option(dinner, "Ja").id), f"q-{note.id}": "Kommer med tåg"},
    )
    # The second person, in English, is on the waiting list: their mail repeats theirs too.
    client.get("/language/en")
    client.post(
        f"/events/{event.id}/register",
        data={**FORM, "email": "bo@example.com", f"q-{dinner.id}": str(option(dinner, "Nej").id)},
    )
    mail.deliver_due()
    [confirmed] = mail_server.to(FORM["email"])
    assert "Dina svar:\n- Deltar du på middagen?: Ja\n- Övrigt: Kommer med tåg" in text_part(confirmed).replace(
        "\r\n", "\n"
    )
    [waiting] = mail_server.to("bo@example.com")
    text = text_part(waiting)
    assert "Your answers:" in text and "Will you join the dinner?: No" in text
