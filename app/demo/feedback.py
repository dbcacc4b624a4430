"""Demo feedback: the people who came to the article's past events, and their answers to
each event's survey, so the results, the report and the comparison have something to show.

Everything is drawn from a seeded random generator, so every demo database is the same.
Each response belongs to a registration that attended; anonymous surveys keep only the
fact that someone answered, like real ones.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.display.timezones import utc_to_local
from app.extensions import db
from app.models import (
    Event,
    Registration,
    RegistrationStatus,
    Sector,
    Survey,
    SurveyAnswer,
    SurveyLink,
    SurveyRespondent,
    SurveyResponse,
)
from app.models.survey import DEFAULT_OPEN_DAYS, QuestionKind
from app.services.surveys.template import default_questions


@dataclass(frozen=True)
class DemoSurvey:
    title: str
    attended: int
    no_shows: int
    responses: int
    anonymous: bool
    # Weights of the ratings 1–5: how the day went down.
    ratings: tuple[int, int, int, int, int]


DEMO_SURVEYS = [
    DemoSurvey("Workshop – regional samverkan om validering", 44, 4, 31, False, (0, 1, 4, 14, 12)),
    DemoSurvey("Nationell valideringskonferens", 150, 18, 84, True, (1, 4, 14, 36, 29)),
    DemoSurvey("Inspirationsdag om validering i Östergötland", 96, 9, 60, False, (0, 2, 6, 24, 28)),
    DemoSurvey("Uppstartskonferens om validering i Kronoberg", 58, 6, 37, True, (1, 3, 9, 15, 9)),
    DemoSurvey("Regional konferens om validering i Västmanland", 71, 7, 40, False, (1, 4, 12, 15, 8)),
    DemoSurvey("Uppföljande workshop för regionerna", 38, 3, 29, False, (0, 0, 3, 12, 14)),
]

MUNICIPALITIES = {
    "05": [
        "Linköping",
        "Norrköping",
        "Motala",
        "Mjölby",
        "Finspång",
        "Söderköping",
        "Vadstena",
        "Åtvidaberg",
        "Kinda",
        "Boxholm",
        "Ödeshög",
        "Valdemarsvik",
        "Ydre",
    ],
    "07": ["Växjö", "Ljungby", "Alvesta", "Älmhult", "Tingsryd", "Markaryd", "Uppvidinge", "Lessebo"],
    "19": ["Västerås", "Köping", "Sala", "Fagersta", "Arboga", "Hallstahammar", "Kungsör", "Norberg"],
    "21": ["Gävle", "Sandviken", "Hudiksvall", "Bollnäs", "Söderhamn", "Ljusdal", "Ovanåker", "Nordanstig"],
    None: [
        "Stockholm",
        "Göteborg",
        "Malmö",
        "Uppsala",
        "Örebro",
        "Umeå",
        "Luleå",
        "Karlstad",
        "Jönköping",
        "Falun",
        "Kalmar",
        "Halmstad",
    ],
}
SECTOR_WEIGHTS = {
    Sector.MUNICIPALITY: 30,
    Sector.ADULT_EDUCATION: 22,
    Sector.PUBLIC_EMPLOYMENT_SERVICE: 12,
    Sector.EMPLOYER: 12,
    Sector.POLITICIAN: 6,
    Sector.EDUCATION_PROVIDER: 8,
    Sector.REGION: 7,
    Sector.OTHER: 3,
}
FIRST_NAMES = [
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Kerstin",
    "Emma",
    "Ingrid",
    "Malin",
    "Åsa",
    "Sofia",
    "Johanna",
    "Helena",
    "Linnea",
    "Erik",
    "Lars",
    "Karl",
    "Anders",
    "Johan",
    "Per",
    "Mikael",
    "Peter",
    "Jonas",
    "Magnus",
    "Fredrik",
    "Daniel",
    "Ahmed",
    "Fatima",
    "Mohammed",
    "Leila",
    "Nikola",
    "Aida",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Lindberg",
    "Lindqvist",
    "Berg",
    "Ek",
    "Öberg",
    "Holm",
    "Sandberg",
    "Hassan",
    "Ali",
    "Nordin",
    "Åberg",
    "Lind",
    "Hedlund",
]
MOST_VALUABLE = [
    "Att träffa kollegor från andra kommuner och höra hur de arbetar.",
    "Exemplen från vuxenutbildningen om validering inom vård och omsorg.",
    "Delegationens genomgång av modellen i fem steg.",
    "Att Arbetsförmedlingen och arbetsgivarna var med i samma samtal.",
    "Konkreta verktyg att ta med hem till vår egen organisation.",
    "Nätverkandet under lunchen och i grupperna.",
    "Att få en bild av vad regionen planerar framåt.",
    "Branschernas erfarenheter av validering på arbetsplatsen.",
]
COULD_BE_BETTER = [
    "Mer tid för diskussion i mindre grupper.",
    "Fler exempel från mindre kommuner.",
    "Dokumentationen kunde ha skickats ut i förväg.",
    "Lokalen var för trång under eftermiddagen.",
    "Jag hade velat höra mer om finansiering.",
    "Tydligare om nästa steg efter dagen.",
]


def _email_part(text: str) -> str:
    return text.lower().translate(str.maketrans("åäöé", "aaoe"))


def _organisation(sector: Sector, municipality: str, region_name: str, rng: random.Random) -> str:
    return {
        Sector.MUNICIPALITY: f"{municipality} kommun",
        Sector.ADULT_EDUCATION: f"Komvux {municipality}",
        Sector.PUBLIC_EMPLOYMENT_SERVICE: "Arbetsförmedlingen",
        Sector.EMPLOYER: rng.choice(["Byggföretagen", "Vårdföretagarna", "Teknikföretagen", "Svensk Handel", "Visita"]),
        Sector.POLITICIAN: f"{municipality} kommun",
        Sector.EDUCATION_PROVIDER: rng.choice(["Folkuniversitetet", "Lernia", "Hermods", "Vuxenskolan"]),
        Sector.REGION: f"Region {region_name}" if region_name else "Region",
        Sector.OTHER: rng.choice(["Länsstyrelsen", "Skolverket", "Myndigheten för yrkeshögskolan"]),
    }[sector]


def _people(event: Event, spec: DemoSurvey, rng: random.Random) -> list[Registration]:
    """The event's participants: who came (checked in) and a few confirmed who did not."""
    code = event.region.code if event.region else None
    towns = MUNICIPALITIES.get(code, MUNICIPALITIES[None])
    sectors, weights = list(SECTOR_WEIGHTS), list(SECTOR_WEIGHTS.values())
    people = []
    for n in range(spec.attended + spec.no_shows):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        sector = rng.choices(sectors, weights)[0]
        # The host town sends the most people.
        town = towns[0] if rng.random() < 0.35 else rng.choice(towns)
        came = n < spec.attended
        registered = event.starts_at - timedelta(days=rng.randint(5, 40), minutes=rng.randint(0, 600))
        people.append(
            Registration(
                event=event,
                name=f"{first} {last}",
                email=f"{_email_part(first)}.{_email_part(last)}.{n}@example.com",
                organisation=_organisation(sector, town, event.region.name if event.region else "", rng),
                sector=sector,
                municipality=town,
                consent_at=registered,
                privacy_notice_version=current_app.config["PRIVACY_NOTICE_VERSION"],
                status=RegistrationStatus.ATTENDED if came else RegistrationStatus.CONFIRMED,
                locale="sv",
                created_at=registered,
                updated_at=registered,
                checked_in_at=event.starts_at - timedelta(minutes=rng.randint(0, 40)) if came else None,
            )
        )
    return people


def _answers(survey: Survey, spec: DemoSurvey, rng: random.Random) -> list[SurveyAnswer]:
    answers = []
    overall = rng.choices(range(1, 6), spec.ratings)[0]
    for question in survey.questions:
        if question.kind == QuestionKind.RATING:
            # Usefulness follows the overall rating, give or take one.
            value = overall if question.key == "overall" else min(5, max(1, overall + rng.choice((-1, 0, 0, 1))))
            answers.append(SurveyAnswer(question_id=question.id, number=value))
        elif question.key == "more_validation":
            [option] = rng.choices(question.options, (6, 3, 1) if overall >= 4 else (2, 4, 3))
            answers.append(SurveyAnswer(question_id=question.id, option_id=option.id))
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            for option in rng.sample(question.options, rng.randint(0, 3)):
                answers.append(SurveyAnswer(question_id=question.id, option_id=option.id))
        elif question.key == "most_valuable" and rng.random() < 0.45:
            answers.append(SurveyAnswer(question_id=question.id, text=rng.choice(MOST_VALUABLE)))
        elif question.key == "could_be_better" and rng.random() < 0.3:
            answers.append(SurveyAnswer(question_id=question.id, text=rng.choice(COULD_BE_BETTER)))
    return answers


def add_demo_feedback(events: list[Event]) -> int:
    """Participants and completed surveys for the past events named in DEMO_SURVEYS; returns the
    number of responses. Call with the demo events added to the session; the caller commits."""
    rng = random.Random(2019)
    by_title = {event.title: event for event in events}
    responses = 0
    for spec in DEMO_SURVEYS:
        event = by_title.get(spec.title)
        if event is None:
            continue
        # An event with participants already (the Linköping day) keeps them; others get some.
        people = list(db.session.scalars(select(Registration).where(Registration.event_id == event.id)))
        if not people:
            people = _people(event, spec, rng)
            db.session.add_all(people)
        survey = Survey(event=event, anonymous=spec.anonymous, reminder_days=3, questions=default_questions())
        db.session.add(survey)
        db.session.flush()  # ids for the rows below, which hold no relationships on purpose
        closes = event.ends_at + timedelta(days=DEFAULT_OPEN_DAYS)
        attended = [person for person in people if person.status == RegistrationStatus.ATTENDED]
        answering = set(rng.sample(range(len(attended)), min(spec.responses, len(attended))))
        for index, person in enumerate(attended):
            answered = index in answering
            db.session.add(
                SurveyLink(
                    survey=survey,
                    registration=person,
                    invited_at=event.ends_at,
                    reminded_at=None if answered else closes - timedelta(days=3),
                )
            )
            if not answered:
                continue
            db.session.add(SurveyRespondent(survey_id=survey.id, registration_id=person.id))
            answered_on = utc_to_local(event.ends_at + timedelta(days=rng.randint(0, 10))).date()
            db.session.add(
                SurveyResponse(
                    survey_id=survey.id,
                    registration_id=None if spec.anonymous else person.id,
                    submitted_on=None if spec.anonymous else answered_on,
                    answers=_answers(survey, spec, rng),
                )
            )
            responses += 1
    return responses
