"""Registration questions for a demo conference: dinner yes/no, a special diet shown only to
those who come to dinner (and "which?" only for "other"), and the municipality or university
each person represents; the people already registered get plausible answers, so the counts
per choice show on the event's page."""

import random

from sqlalchemy import select

from app.extensions import db
from app.models import ACTIVE_STATUSES, Event, Registration
from app.services import questions
from app.services.questions import QuestionDetails


def add_questions(event: Event) -> None:
    """Add the demo questions to the event (once: an event that has questions keeps them)."""
    if questions.event_questions(event):
        return
    dinner = questions.add_template(event, "dinner", by=None)
    yes = dinner.options[0].id
    diet = questions.add_question(
        event,
        QuestionDetails(
            kind="single_choice",
            text_sv="Specialkost?",
            text_en="Special diet?",
            options_sv=["Nej", "Vegetariskt", "Veganskt", "Annat"],
            options_en=["No", "Vegetarian", "Vegan", "Other"],
            shown_if_option_id=yes,
        ),
        by=None,
    )
    other = diet.options[3].id
    which = questions.add_question(
        event,
        QuestionDetails(
            kind="short_text",
            text_sv="Vilken?",
            text_en="Which?",
            help_sv="Till exempel glutenfritt eller nötallergi.",
            help_en="For example gluten-free or a nut allergy.",
            required=True,
            shown_if_option_id=other,
        ),
        by=None,
    )
    represents = questions.add_template(event, "represents", by=None)
    _answer(
        event, dinner.id, [o.id for o in dinner.options], diet.id, [o.id for o in diet.options], which.id, represents.id
    )


def _answer(event: Event, dinner: int, dinner_options, diet: int, diets, which: int, represents: int) -> None:
    rng = random.Random(event.id)
    asked = questions.event_questions(event)
    people = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES))
    )
    for registration in list(people):
        choice = rng.choices(diets, weights=[12, 4, 2, 1])[0]
        raw = {
            dinner: [str(rng.choices(dinner_options, weights=[4, 1])[0])],
            diet: [str(choice)],
            which: ["Glutenfritt"],
            represents: [registration.municipality or registration.organisation],
        }
        questions.save_answers(registration, questions.check_answers(asked, raw))
    db.session.commit()
