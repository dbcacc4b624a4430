"""The rows of a benchmark data set: deterministic, realistic, produced lazily.

Scale 1 is the 21 regions (seeded by the migrations), 200 events over every region,
kind and status, two years back and one year ahead, with their organisers; and,
when the models exist, agendas, 20,000 registrations, and feedback surveys (the
default template's questions) on held events with 5,000 responses and their answers.
Scale N multiplies the events, registrations and responses by N (scale 50: 10,000
events, 1,000,000 registrations, 250,000 survey responses).

Every row is a plain dict keyed by column name, ready for a Core `insert()`. Times
are aware UTC datetimes, so they pass through the models' `UTCDateTime` type, which
stores them naive in UTC like the app does. The same seed and day give the same rows.

Parts beyond users, regions and events (agendas, registrations, surveys) are
described by `OPTIONAL_PARTS`: each names the models it needs and yields rows for
them; each model's columns are set in one small `*_row` function, the only place to
adjust when that model changes.
"""

import base64
import hashlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from app.display.timezones import local_to_utc
from app.models import EventKind, EventStatus, Role
from app.services.text import markdown_to_html

EVENTS_PER_SCALE = 200
REGISTRATIONS_PER_SCALE = 20_000
SURVEY_ANSWERS_PER_SCALE = 5_000
BENCH_ADMIN_EMAIL = "bench-admin@example.com"
BENCH_PASSWORD = "samverkan-bench"

# County seats, so venues sit in the region they belong to.
CITIES = {
    "01": "Stockholm",
    "03": "Uppsala",
    "04": "Nyköping",
    "05": "Linköping",
    "06": "Jönköping",
    "07": "Växjö",
    "08": "Kalmar",
    "09": "Visby",
    "10": "Karlskrona",
    "12": "Malmö",
    "13": "Halmstad",
    "14": "Göteborg",
    "17": "Karlstad",
    "18": "Örebro",
    "19": "Västerås",
    "20": "Falun",
    "21": "Gävle",
    "22": "Härnösand",
    "23": "Östersund",
    "24": "Umeå",
    "25": "Luleå",
}
VENUES = [
    "Regionhuset",
    "Folkets hus",
    "Stadsbiblioteket",
    "Kulturhuset",
    "Konserthuset",
    "Stadshuset",
    "Kongresscentret",
    "Campus Konferens",
]
STREETS = ["Storgatan", "Kungsgatan", "Drottninggatan", "Järnvägsgatan", "Nygatan", "Parkvägen"]
TOPICS = [
    "validering",
    "kompetensförsörjning",
    "yrkesvalidering",
    "reell kompetens",
    "branschvalidering",
    "vägledning och validering",
    "validering inom vuxenutbildningen",
]
KIND_TITLES = {
    EventKind.INSPIRATION_DAY: "Inspirationsdag",
    EventKind.WORKSHOP: "Workshop",
    EventKind.REGIONAL_CONFERENCE: "Regional konferens",
    EventKind.NATIONAL_CONFERENCE: "Nationell konferens",
    EventKind.WEBINAR: "Webbinarium",
}
KIND_WEIGHTS = {
    EventKind.INSPIRATION_DAY: 30,
    EventKind.WORKSHOP: 30,
    EventKind.REGIONAL_CONFERENCE: 20,
    EventKind.NATIONAL_CONFERENCE: 5,
    EventKind.WEBINAR: 15,
}
# A handful of descriptions, rendered to HTML once and shared by every event.
DESCRIPTIONS = [
    "Välkommen till en dag om **validering** för kommuner, vuxenutbildning, Arbetsförmedlingen, "
    "arbetsgivare och politiker.\n\n- Läget i landet\n- Erfarenheter från regionerna\n- Nästa steg",
    "Vi samlar regionens aktörer för att bygga *regional samverkan* om validering.\n\n"
    "Läs mer på [valideringsdelegationen.se](https://www.valideringsdelegationen.se).",
    "Ett webbinarium om hur validering kopplas till det regionala kompetensförsörjningsarbetet.",
    "## Program\n\nFörmiddag: inspiration och goda exempel. Eftermiddag: workshop i grupper.\n\n"
    "Lunch ingår. Meddela eventuell specialkost vid anmälan.",
    "Två dagar om hur validering blir **tillgänglig och likvärdig** i hela landet, med talare "
    "från myndigheter, branscher och regioner.",
    "Uppföljning av modellen i fem steg: var står regionen i dag, och vad krävs för att "
    "arbetet ska bli långsiktigt hållbart?",
]
FIRST_NAMES = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Anders",
    "Eva",
    "Johan",
    "Sara",
    "Per",
    "Lena",
    "Mikael",
    "Emma",
    "Fredrik",
    "Ingrid",
    "Ali",
    "Fatima",
    "Jonas",
    "Elin",
    "Omar",
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
    "Lindberg",
    "Holm",
    "Ahmed",
    "Berg",
    "Stevrin",
]
ORGANISATIONS = ["kommun", "Komvux", "Arbetsförmedlingen", "Region", "Folkhögskola", "Yrkeshögskola"]
SECTORS = [
    "municipality",
    "adult_education",
    "public_employment_service",
    "employer",
    "politician",
    "education_provider",
    "region",
    "other",
]


def token(rng: random.Random) -> str:
    """A token shaped like secrets.token_urlsafe(32), but from the seeded generator."""
    return base64.urlsafe_b64encode(rng.randbytes(32)).rstrip(b"=").decode()


@dataclass
class EventFacts:
    """What later parts need to know about a generated event."""

    id: int
    region_code: str | None
    kind: EventKind
    status: EventStatus
    starts_at: datetime
    ends_at: datetime
    capacity: int | None


@dataclass
class Dataset:
    """A data set of one scale, from one seed, dated around one day."""

    scale: int
    regions: dict[str, int]  # county code → region id, as the migrations seeded them
    seed: int = 8
    today: date = field(default_factory=date.today)
    password_hash: str = ""
    events: list[EventFacts] = field(default_factory=list)
    # Event id → the registrations a feedback survey goes to (those who attended; everyone
    # confirmed where nobody was checked in), for held events that have ended; filled by
    # the registrations part.
    survey_invitees: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = self.rng_for("core")

    def rng_for(self, part: str) -> random.Random:
        """A generator per part, so a part's rows do not change when another part appears."""
        return random.Random(f"{self.seed}:{self.scale}:{part}")

    @property
    def event_count(self) -> int:
        return EVENTS_PER_SCALE * self.scale

    @property
    def organiser_ids(self) -> list[int]:
        """Two organisers per region, and national staff growing with the scale; the bench
        admin comes after them."""
        return list(range(1, 2 * len(self.regions) + 10 * self.scale + 1))

    def local(self, day: date, hour: int, minute: int = 0) -> datetime:
        return local_to_utc(datetime.combine(day, time(hour, minute)))

    # -- users and regions ----------------------------------------------------------

    def users(self) -> Iterator[dict]:
        """Organisers (two per region, national staff growing with scale) and one bench admin."""
        codes = sorted(self.regions)
        organisers = self.organiser_ids
        created = self.local(self.today - timedelta(days=800), 9)
        for n in [*organisers, len(organisers) + 1]:
            admin = n == len(organisers) + 1
            first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[n % len(LAST_NAMES)]
            region_code = codes[(n - 1) // 2] if n <= 2 * len(codes) else None
            yield {
                "id": n,
                "email": BENCH_ADMIN_EMAIL if admin else f"{first}.{last}.{n}@example.com".lower(),
                "name": "Bench Admin" if admin else f"{first} {last}",
                "password_hash": self.password_hash,
                "role": (Role.ADMIN if admin else Role.ORGANISER).value,
                "region_id": self.regions[region_code] if region_code else None,
                "active": True,
                "created_at": created,
            }

    def step_records(self) -> Iterator[dict]:
        """Each region's history in the five-step model: up to five records, oldest first."""
        n = 0
        for code, region_id in sorted(self.regions.items()):
            reached = self.rng.randint(0, 5)
            day = self.today - timedelta(days=900)
            for step in range(1, reached + 1):
                day += timedelta(days=self.rng.randint(30, 150))
                n += 1
                yield {
                    "id": n,
                    "region_id": region_id,
                    "step_number": step,
                    "recorded_on": day,
                    "note": f"Steg {step} nått i {CITIES[code]}.",
                    "recorded_by_id": None,
                    "created_at": self.local(day, 12),
                }

    # -- events ---------------------------------------------------------------------

    def events_rows(self) -> Iterator[dict]:
        """Events spread over regions, kinds and statuses, from two years ago to a year ahead."""
        rng = self.rng
        descriptions = [(text, markdown_to_html(text)) for text in DESCRIPTIONS]
        kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
        codes = sorted(self.regions)
        organisers = self.organiser_ids
        for n in range(1, self.event_count + 1):
            kind = rng.choices(kinds, weights)[0]
            national = kind == EventKind.NATIONAL_CONFERENCE and rng.random() < 0.4
            online = kind == EventKind.WEBINAR
            region_code = None if national or (online and rng.random() < 0.5) else rng.choice(codes)
            day = self.today + timedelta(days=rng.randint(-730, 365))
            start_hour, minute = rng.choice([(9, 0), (9, 30), (10, 0), (13, 0)])
            starts_at = self.local(day, start_hour, minute)
            if kind == EventKind.NATIONAL_CONFERENCE:
                ends_at = self.local(day + timedelta(days=1), 15)
            else:
                hours = {EventKind.WEBINAR: 1.5, EventKind.WORKSHOP: rng.choice([3, 4, 6])}.get(kind, 6.5)
                ends_at = starts_at + timedelta(hours=hours)
            status = self._status(day)
            capacity = None if rng.random() < 0.1 else rng.randrange(30, 310, 10)
            city = CITIES[region_code] if region_code else "Stockholm"
            description, description_html = rng.choice(descriptions)
            author = rng.choice(organisers)
            created_at = starts_at - timedelta(days=rng.randint(30, 120))
            self.events.append(EventFacts(n, region_code, kind, status, starts_at, ends_at, capacity))
            yield {
                "id": n,
                "kind": kind.value,
                "title": f"{KIND_TITLES[kind]} om {rng.choice(TOPICS)} "
                + (f"i {city}" if region_code else "för hela landet")
                + ("" if n % 3 else f" {day.year}"),
                "description": description,
                "description_html": description_html,
                "region_id": self.regions[region_code] if region_code else None,
                "venue_name": "" if online else rng.choice(VENUES),
                "venue_address": "" if online else f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
                "venue_city": "" if online else city,
                "online_url": f"https://meet.example.com/event-{n}" if online else "",
                "starts_at": starts_at,
                "ends_at": ends_at,
                "capacity": capacity,
                "registration_opens_at": None if rng.random() < 0.3 else starts_at - timedelta(days=60),
                "registration_closes_at": None if rng.random() < 0.3 else starts_at - timedelta(days=2),
                "invitation_only": rng.random() < (0.4 if kind == EventKind.WORKSHOP else 0.1),
                "reminder_days": 0 if online else 2,
                "status": status.value,
                "sequence": rng.choice([0, 0, 0, 1, 2]),
                "created_by_id": author,
                "created_at": created_at,
                "updated_at": created_at,
            }

    def _status(self, day: date) -> EventStatus:
        roll = self.rng.random()
        if day >= self.today:
            return EventStatus.DRAFT if roll < 0.1 else EventStatus.CANCELLED if roll < 0.15 else EventStatus.PUBLISHED
        if roll < 0.05:
            return EventStatus.DRAFT
        if roll < 0.15:
            return EventStatus.CANCELLED
        return EventStatus.PUBLISHED if roll < 0.25 else EventStatus.COMPLETED

    def event_organisers(self) -> Iterator[dict]:
        """One to three organisers per event (after `events_rows` has run)."""
        organisers = self.organiser_ids
        for event in self.events:
            for user_id in self.rng.sample(organisers, self.rng.randint(1, 3)):
                yield {"event_id": event.id, "user_id": user_id}


# -- optional parts: generated only when their models exist -------------------------


def speaker_row(speaker_id: int, name: str, role: str, organisation: str, created_at: datetime) -> dict:
    return {
        "id": speaker_id,
        "name": name,
        "role": role,
        "organisation": organisation,
        "created_at": created_at,
        "updated_at": created_at,
    }


def agenda_item_row(
    item_id: int, event: EventFacts, position: int, starts_at: datetime, ends_at: datetime, title: str, room: str
) -> dict:
    description = f"{title}: samtal och frågor."
    return {
        "id": item_id,
        "event_id": event.id,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "title": title,
        "description": description,
        "description_html": f"<p>{description}</p>",
        "room": room,
        "position": position,
        "sequence": 0,
        "created_at": event.starts_at - timedelta(days=30),
        "updated_at": event.starts_at - timedelta(days=30),
    }


def agenda_item_speaker_row(item_id: int, speaker_id: int, position: int) -> dict:
    return {"item_id": item_id, "speaker_id": speaker_id, "position": position}


def _derived_token(token: str, purpose: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(purpose + token.encode()).digest()).rstrip(b"=").decode()


def _derived_certificate_code(token: str) -> str:
    compact = base64.b32encode(hashlib.sha256(b"certificate" + token.encode()).digest()).decode()[:12]
    return "-".join(compact[index : index + 4] for index in range(0, 12, 4))


def registration_row(
    registration_id: int,
    event: EventFacts,
    status: str,
    first: str,
    last: str,
    sector: str,
    organisation: str,
    municipality: str,
    token: str,
) -> dict:
    created_at = event.starts_at - timedelta(days=20, minutes=registration_id % 1440)
    return {
        "id": registration_id,
        "event_id": event.id,
        "name": f"{first} {last}",
        "email": f"{first}.{last}.{registration_id}@example.com".lower(),
        "organisation": organisation,
        "sector": sector,
        "municipality": municipality,
        "dietary_needs": "",
        "accessibility_needs": "",
        "consent_at": created_at,
        "privacy_notice_version": "2026-11",
        "status": status,
        "waitlisted_at": created_at if status == "waitlisted" else None,
        "manage_token": token,
        # The badge's and the certificate's codes, derived from the token so the random
        # stream (and with it the rest of the data) stays as it was.
        "checkin_code": _derived_token(token, b"checkin"),
        "certificate_code": _derived_certificate_code(token),
        "locale": "sv",
        "checked_in_at": event.starts_at if status == "attended" else None,
        "cancelled_at": created_at + timedelta(days=3) if status == "cancelled" else None,
        "created_at": created_at,
        "updated_at": created_at,
    }


def survey_row(survey_id: int, event: EventFacts, anonymous: bool) -> dict:
    created_at = event.starts_at - timedelta(days=7)
    return {
        "id": survey_id,
        "event_id": event.id,
        "anonymous": anonymous,
        "opens_at": None,
        "closes_at": None,
        "reminder_days": 3,
        "created_at": created_at,
        "updated_at": created_at,
    }


def survey_question_row(question_id: int, survey_id: int, spec: dict) -> dict:
    """`spec`: one question of the default template, as `template_questions` gives it."""
    return {"id": question_id, "survey_id": survey_id, **{key: spec[key] for key in QUESTION_COLUMNS}}


def survey_option_row(option_id: int, question_id: int, position: int, text_sv: str, text_en: str) -> dict:
    return {"id": option_id, "question_id": question_id, "position": position, "text_sv": text_sv, "text_en": text_en}


def survey_link_row(
    link_id: int, survey_id: int, registration_id: int, token: str, invited_at: datetime, reminded_at: datetime | None
) -> dict:
    return {
        "id": link_id,
        "survey_id": survey_id,
        "registration_id": registration_id,
        "token": token,
        "invited_at": invited_at,
        "reminded_at": reminded_at,
    }


def survey_respondent_row(survey_id: int, registration_id: int) -> dict:
    return {"survey_id": survey_id, "registration_id": registration_id}


def survey_response_row(
    response_id: int, survey_id: int, registration_id: int | None, edit_key_hash: str | None, submitted_on: date | None
) -> dict:
    """Named: the registration and the day; anonymous: only the hash of the browser's edit key."""
    return {
        "id": response_id,
        "survey_id": survey_id,
        "registration_id": registration_id,
        "edit_key_hash": edit_key_hash,
        "submitted_on": submitted_on,
    }


def survey_answer_row(
    answer_id: int,
    response_id: int,
    question_id: int,
    *,
    option_id: int | None = None,
    number: int | None = None,
    text: str | None = None,
) -> dict:
    return {
        "id": answer_id,
        "response_id": response_id,
        "question_id": question_id,
        "option_id": option_id,
        "number": number,
        "text": text,
    }


AGENDA_TITLES = [
    "Välkommen och inledning",
    "Läget för validering i Sverige",
    "Erfarenheter från regionen",
    "Paneldiskussion",
    "Workshop i grupper",
    "Lunch",
    "Goda exempel",
    "Sammanfattning och nästa steg",
]
ROOMS = ["Stora salen", "Sal A", "Sal B"]


def agenda(data: Dataset) -> Iterator[tuple[str, Iterator[dict]]]:
    """Speakers, then four to eight agenda items per event (two rooms at conferences), with speakers."""
    rng = data.rng_for("agenda")
    created = data.local(data.today - timedelta(days=800), 9)
    speakers = [
        speaker_row(
            n,
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            rng.choice(["Projektledare", "Strateg", "Utredare", "Rektor"]),
            rng.choice(ORGANISATIONS),
            created,
        )
        for n in range(1, 51 + 5 * data.scale)
    ]
    yield "Speaker", iter(speakers)
    links: list[dict] = []

    def items() -> Iterator[dict]:
        item_id = 0
        conferences = (EventKind.REGIONAL_CONFERENCE, EventKind.NATIONAL_CONFERENCE)
        for event in data.events:
            day_start = event.starts_at
            day_end = min(event.ends_at, event.starts_at + timedelta(hours=8))
            count = rng.randint(4, 8)
            slot = (day_end - day_start) / count
            for position in range(count):
                parallel = event.kind in conferences and 0 < position < count - 1
                for room_position, room in enumerate(ROOMS[1:] if parallel else ROOMS[:1]):
                    item_id += 1
                    starts_at = day_start + slot * position
                    yield agenda_item_row(
                        item_id,
                        event,
                        room_position,
                        starts_at,
                        starts_at + slot,
                        AGENDA_TITLES[position % len(AGENDA_TITLES)],
                        room,
                    )
                    for order, speaker in enumerate(rng.sample(speakers, rng.randint(0, 2))):
                        links.append(agenda_item_speaker_row(item_id, speaker["id"], order))

    yield "AgendaItem", items()
    yield "AgendaItemSpeaker", iter(links)  # filled while the items above were produced


def registrations(data: Dataset) -> Iterator[tuple[str, Iterator[dict]]]:
    """About 100 registrations per non-draft event: confirmed up to capacity, then waitlisted;
    some cancelled; most confirmed people at held events attended."""
    rng = data.rng_for("registrations")
    today = data.local(data.today, 0)

    def rows() -> Iterator[dict]:
        registration_id = 0
        public = [event for event in data.events if event.status != EventStatus.DRAFT]
        per_event = REGISTRATIONS_PER_SCALE * data.scale // max(len(public), 1)
        for event in public:
            held = event.status == EventStatus.COMPLETED
            attended: list[int] = []
            confirmed: list[int] = []
            for n in range(rng.randint(per_event * 2 // 5, per_event * 8 // 5)):
                registration_id += 1
                status = "confirmed" if event.capacity is None or n < event.capacity else "waitlisted"
                if rng.random() < 0.05:
                    status = "cancelled"
                elif held and status == "confirmed" and rng.random() < 0.8:
                    status = "attended"
                    attended.append(registration_id)
                if status == "confirmed":
                    confirmed.append(registration_id)
                yield registration_row(
                    registration_id,
                    event,
                    status,
                    rng.choice(FIRST_NAMES),
                    rng.choice(LAST_NAMES),
                    rng.choice(SECTORS),
                    rng.choice(ORGANISATIONS),
                    CITIES[event.region_code or "01"],
                    token(rng),
                )
            if event.status in SURVEYED_STATUSES and event.ends_at < today:
                # Whom the app asks for feedback (surveys.eligible_condition).
                data.survey_invitees[event.id] = attended or confirmed

    yield "Registration", rows()


# -- feedback surveys -----------------------------------------------------------------

# Held events (surveys.HELD_STATUSES): a cancelled event gets no survey.
SURVEYED_STATUSES = (EventStatus.PUBLISHED, EventStatus.COMPLETED)
QUESTION_COLUMNS = (
    "position",
    "kind",
    "key",
    "text_sv",
    "text_en",
    "required",
    "low_label_sv",
    "low_label_en",
    "high_label_sv",
    "high_label_en",
)
MOST_VALUABLE = [
    "Att träffa andra i regionen.",
    "Goda exempel från kommunerna.",
    "Paneldiskussionen.",
    "Konkreta verktyg för validering.",
    "Samtalen i grupperna.",
]
COULD_BE_BETTER = [
    "Mer tid för frågor.",
    "Längre pauser.",
    "Fler exempel från arbetsgivare.",
    "Lokalen var för liten.",
    "Tydligare information i förväg.",
]


def template_questions() -> list[dict]:
    """The default template's questions (app.services.surveys.template), each with its
    columns and its options as (text_sv, text_en); Swedish texts need an app context."""
    from app.services.surveys.template import default_questions

    return [
        {
            **{column: getattr(question, column) for column in QUESTION_COLUMNS},
            "kind": question.kind.value,
            "options": [(option.text_sv, option.text_en) for option in question.options],
        }
        for question in default_questions()
    ]


@dataclass
class SurveyFacts:
    id: int
    event: EventFacts
    anonymous: bool
    mean: float  # the average overall rating its answers are drawn around
    questions: dict[str, int]  # template key → question id
    options: dict[str, list[int]]  # template key → option ids, in order


def surveys(data: Dataset) -> Iterator[tuple[str, Iterator[dict]]]:
    """A survey from the default template for most held events that have ended, a link for
    everyone it was sent to, and SURVEY_ANSWERS_PER_SCALE responses per scale with their
    answers. Ratings vary by region and event, so averages differ from page to page."""
    rng = data.rng_for("surveys")
    template = template_questions()
    today = data.local(data.today, 0)
    region_bias = {code: rng.uniform(-0.6, 0.4) for code in sorted(CITIES)}
    survey_list: list[SurveyFacts] = []
    survey_rows, question_rows, option_rows = [], [], []
    question_id = option_id = 0
    for event in data.events:
        invitees = data.survey_invitees.get(event.id)
        if not invitees or rng.random() > (0.9 if event.status == EventStatus.COMPLETED else 0.5):
            continue
        survey = SurveyFacts(
            len(survey_list) + 1,
            event,
            rng.random() < 0.75,
            4.0 + region_bias.get(event.region_code or "", 0.0) + rng.gauss(0, 0.3),
            {},
            {},
        )
        survey_list.append(survey)
        survey_rows.append(survey_row(survey.id, event, survey.anonymous))
        for spec in template:
            question_id += 1
            survey.questions[spec["key"]] = question_id
            question_rows.append(survey_question_row(question_id, survey.id, spec))
            for position, (text_sv, text_en) in enumerate(spec["options"]):
                option_id += 1
                survey.options.setdefault(spec["key"], []).append(option_id)
                option_rows.append(survey_option_row(option_id, question_id, position, text_sv, text_en))
    yield "Survey", iter(survey_rows)
    yield "SurveyQuestion", iter(question_rows)
    yield "SurveyOption", iter(option_rows)

    invited = [
        (survey, registration_id) for survey in survey_list for registration_id in data.survey_invitees[survey.event.id]
    ]
    answering = sorted(rng.sample(range(len(invited)), min(len(invited), SURVEY_ANSWERS_PER_SCALE * data.scale)))
    respondents = [invited[n] for n in answering]
    answered = set(answering)

    def links() -> Iterator[dict]:
        for n, (survey, registration_id) in enumerate(invited, start=1):
            invited_at = survey.event.ends_at + timedelta(minutes=5)
            # As the mail worker does: a reminder 3 days before the survey closes (after 14 days),
            # to those who have not answered.
            reminder = survey.event.ends_at + timedelta(days=11, minutes=5)
            reminded = reminder if n - 1 not in answered and reminder <= today else None
            yield survey_link_row(n, survey.id, registration_id, token(rng), invited_at, reminded)

    yield "SurveyLink", links()
    yield (
        "SurveyRespondent",
        (survey_respondent_row(survey.id, registration_id) for survey, registration_id in respondents),
    )
    # Random ids, as the app gives them, so that storage order tells nothing.
    response_ids = [rng.getrandbits(62) + 1 for _ in respondents]

    def responses() -> Iterator[dict]:
        for response_id, (survey, registration_id) in zip(response_ids, respondents, strict=True):
            if survey.anonymous:
                yield survey_response_row(response_id, survey.id, None, rng.randbytes(32).hex(), None)
            else:
                day = min(survey.event.ends_at + timedelta(days=rng.randint(0, 10)), today - timedelta(days=1))
                yield survey_response_row(response_id, survey.id, registration_id, None, day.date())

    yield "SurveyResponse", responses()

    def answers() -> Iterator[dict]:
        for response_id, (survey, _registration_id) in zip(response_ids, respondents, strict=True):
            questions, options = survey.questions, survey.options
            overall = min(5, max(1, round(rng.gauss(survey.mean, 0.8))))
            useful = min(5, max(1, overall + rng.choice([-1, 0, 0, 1])))
            yield survey_answer_row(rng.getrandbits(62) + 1, response_id, questions["overall"], number=overall)
            yield survey_answer_row(rng.getrandbits(62) + 1, response_id, questions["usefulness"], number=useful)
            if rng.random() < 0.35:
                yield survey_answer_row(
                    rng.getrandbits(62) + 1, response_id, questions["most_valuable"], text=rng.choice(MOST_VALUABLE)
                )
            if rng.random() < 0.25:
                yield survey_answer_row(
                    rng.getrandbits(62) + 1, response_id, questions["could_be_better"], text=rng.choice(COULD_BE_BETTER)
                )
            choice = rng.choices(options["more_validation"], (55, 35, 10))[0]
            yield survey_answer_row(
                rng.getrandbits(62) + 1, response_id, questions["more_validation"], option_id=choice
            )
            for chosen in sorted(rng.sample(options["future_events"], rng.choice([0, 1, 1, 2, 2, 3]))):
                yield survey_answer_row(
                    rng.getrandbits(62) + 1, response_id, questions["future_events"], option_id=chosen
                )

    yield "SurveyAnswer", answers()


@dataclass
class OptionalPart:
    """Rows for models that other features add; generated when all `needs` are in app.models."""

    name: str
    needs: tuple[str, ...]
    produce: Callable[[Dataset], Iterator[tuple[str, Iterator[dict]]]]


OPTIONAL_PARTS = [
    OptionalPart("agendas", ("Speaker", "AgendaItem", "AgendaItemSpeaker"), agenda),
    OptionalPart("registrations", ("Registration",), registrations),
    OptionalPart(
        "surveys",
        (
            "Registration",
            "Survey",
            "SurveyQuestion",
            "SurveyOption",
            "SurveyLink",
            "SurveyRespondent",
            "SurveyResponse",
            "SurveyAnswer",
        ),
        surveys,
    ),
]
