"""Organisers change an event's questions: add (or pick from the templates), change, move
up or down, archive. Archiving keeps the answers given; a choice removed from a question is
archived the same way. Every change is logged."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, insert, literal, select, update

from app.extensions import db
from app.models import (
    CONDITION_KINDS,
    Event,
    FormAnswer,
    FormQuestion,
    FormQuestionKind,
    FormQuestionOption,
    Registration,
    User,
)
from app.models.types import utcnow
from app.services import ValidationError, audit
from app.services.questions.answers import asked_questions, event_questions
from app.services.questions.templates import FIXED_FIELDS, TEMPLATES

LIMITS = {"text_sv": 300, "text_en": 300, "help_sv": 500, "help_en": 500, "option": 200}
MAX_OPTIONS = 30
YES_NO = [("Ja", "Yes"), ("Nej", "No")]


@dataclass
class QuestionDetails:
    """What an organiser fills in for a question."""

    kind: str
    text_sv: str
    text_en: str = ""
    help_sv: str = ""
    help_en: str = ""
    required: bool = False
    # The choices of a single or multiple choice question, one per line, in each language.
    options_sv: list[str] = field(default_factory=list)
    options_en: list[str] = field(default_factory=list)
    shown_if_option_id: int | None = None


def condition_choices(event: Event, question: FormQuestion | None = None, locale: str = "sv") -> list[tuple[int, str]]:
    """The answers a question may depend on: the options of the single-choice and yes/no
    questions before it (all of them, for a new question, which goes last)."""
    choices = []
    for earlier in asked_questions(event_questions(event)):
        if question is not None and (earlier.id == question.id or earlier.position >= question.position):
            continue
        if earlier.kind in CONDITION_KINDS:
            choices += [(o.id, f"{earlier.text(locale)} = {o.text(locale)}") for o in earlier.active_options]
    return choices


def _problems(event: Event, details: QuestionDetails, question: FormQuestion | None) -> dict[str, str]:
    problems = {}
    if details.kind not in {kind.value for kind in FormQuestionKind}:
        problems["kind"] = _("Choose a kind of question.")
    if not details.text_sv.strip():
        problems["text_sv"] = _("Write the question in Swedish.")
    for name in ("text_sv", "text_en", "help_sv", "help_en"):
        if len(getattr(details, name).strip()) > LIMITS[name]:
            problems[name] = _("At most %(n)d characters.", n=LIMITS[name])
    if details.kind in (FormQuestionKind.SINGLE_CHOICE, FormQuestionKind.MULTIPLE_CHOICE):
        options = [o for o in details.options_sv if o.strip()]
        if len(options) < 2:
            problems["options_sv"] = _("Give at least two choices, one per line.")
        elif len(options) > MAX_OPTIONS or any(len(o) > LIMITS["option"] for o in options):
            problems["options_sv"] = _("At most %(n)d choices of at most 200 characters.", n=MAX_OPTIONS)
        elif len({o.strip().casefold() for o in options}) < len(options):
            problems["options_sv"] = _("Each choice only once.")
        english = [o for o in details.options_en if o.strip()]
        if len(english) > len(options):
            problems["options_en"] = _("No more English choices than Swedish ones.")
        elif any(len(o) > LIMITS["option"] for o in english):
            problems["options_en"] = _("At most %(n)d choices of at most 200 characters.", n=MAX_OPTIONS)
    if details.shown_if_option_id is not None and details.shown_if_option_id not in {
        option_id for option_id, _label in condition_choices(event, question)
    }:
        problems["shown_if_option_id"] = _("Choose an answer of an earlier question.")
    return problems


def _set_options(question: FormQuestion, details: QuestionDetails) -> None:
    """Match the choices by their Swedish text: kept ones keep their answers, removed ones are archived."""
    pairs = YES_NO if details.kind == FormQuestionKind.YES_NO else []
    if details.kind in (FormQuestionKind.SINGLE_CHOICE, FormQuestionKind.MULTIPLE_CHOICE):
        sv = [o.strip() for o in details.options_sv if o.strip()]
        en = [o.strip() for o in details.options_en if o.strip()]
        pairs = [(text, en[i] if i < len(en) else "") for i, text in enumerate(sv)]
    existing = {option.text_sv.casefold(): option for option in question.options}
    now = utcnow()
    wanted = set()
    for position, (text_sv, text_en) in enumerate(pairs):
        option = existing.get(text_sv.casefold())
        if option is None:
            option = FormQuestionOption(text_sv=text_sv)
            question.options.append(option)
        option.text_sv, option.text_en, option.position, option.archived_at = text_sv, text_en, position, None
        wanted.add(text_sv.casefold())
    gone = []
    for key, option in existing.items():
        if key not in wanted and option.archived_at is None:
            option.archived_at = now
            gone.append(option.id)
    _unconditional(question.event_id, gone)


def _unconditional(event_id: int, option_ids: list[int]) -> None:
    """Questions shown only on one of these (removed) answers are shown always from now on,
    rather than never."""
    if option_ids:
        db.session.execute(
            update(FormQuestion)
            .where(FormQuestion.event_id == event_id, FormQuestion.shown_if_option_id.in_(option_ids))
            .values(shown_if_option_id=None)
        )


def _apply(question: FormQuestion, details: QuestionDetails) -> None:
    question.kind = FormQuestionKind(details.kind)
    question.text_sv, question.text_en = details.text_sv.strip(), details.text_en.strip()
    question.help_sv, question.help_en = details.help_sv.strip(), details.help_en.strip()
    question.required = details.required
    question.shown_if_option_id = details.shown_if_option_id
    _set_options(question, details)


def add_question(event: Event, details: QuestionDetails, *, by: User | None, template_key: str = "") -> FormQuestion:
    """Add a question at the end of the form. Raises ValidationError."""
    if problems := _problems(event, details, None):
        raise ValidationError(problems)
    last = db.session.scalar(select(func.max(FormQuestion.position)).where(FormQuestion.event_id == event.id))
    question = FormQuestion(event_id=event.id, position=(last or 0) + 1, template_key=template_key)
    event.has_form_questions = True
    _apply(question, details)
    db.session.add(question)
    db.session.flush()
    audit.record(by, "question.added", event=event, question=question.id)
    db.session.commit()
    return question


def update_question(question: FormQuestion, details: QuestionDetails, *, by: User | None) -> None:
    """Change a question. Its kind stays once people have answered, so no answer loses its meaning."""
    event = question.event_id
    answered = db.session.scalar(select(func.count()).where(FormAnswer.question_id == question.id))
    if answered and details.kind != question.kind.value:
        raise ValidationError({"kind": _("People have answered this question, so its kind cannot change.")})
    owner = db.session.get(Event, event)
    if problems := _problems(owner, details, question):
        raise ValidationError(problems)
    _apply(question, details)
    audit.record(by, "question.changed", event=owner, question=question.id)
    db.session.commit()


def move(question: FormQuestion, step: int, *, by: User | None) -> bool:
    """Swap the question with its neighbour above (step -1) or below (+1). A question is never
    moved above the answer it depends on, nor that answer's question below it. False if it cannot."""
    asked = asked_questions(event_questions(db.session.get(Event, question.event_id)))
    index = next(i for i, q in enumerate(asked) if q.id == question.id)
    other_index = index + step
    if not 0 <= other_index < len(asked):
        return False
    upper, lower = asked[min(index, other_index)], asked[max(index, other_index)]
    if lower.shown_if_option_id is not None and lower.shown_if_option_id in {o.id for o in upper.options}:
        return False
    # Positions may repeat (templates added in one go): number them all, then swap.
    for position, q in enumerate(asked, start=1):
        q.position = position
    asked[index].position, asked[other_index].position = asked[other_index].position, asked[index].position
    audit.record(by, "question.moved", event=db.session.get(Event, question.event_id), question=question.id)
    db.session.commit()
    return True


def archive(question: FormQuestion, *, by: User | None) -> None:
    """Remove a question from the form; its answers stay readable until the retention purge.
    Questions shown only on one of its answers are shown always from now on."""
    question.archived_at = utcnow()
    _unconditional(question.event_id, [option.id for option in question.options])
    audit.record(by, "question.archived", event=db.session.get(Event, question.event_id), question=question.id)
    db.session.commit()


def _template_details(key: str) -> QuestionDetails:
    spec = TEMPLATES[key]
    options = spec.get("options", [])
    return QuestionDetails(
        kind=spec["kind"].value,
        text_sv=spec["text_sv"],
        text_en=spec["text_en"],
        help_sv=spec.get("help_sv", ""),
        help_en=spec.get("help_en", ""),
        required=spec.get("required", False),
        options_sv=[sv for sv, _en in options],
        options_en=[en for _sv, en in options],
    )


def add_template(event: Event, key: str, *, by: User | None) -> FormQuestion:
    """Add a question from the templates. A fixed field's template turns the field into the
    question (convert_fixed_field). Raises ValidationError for an unknown template."""
    if key not in TEMPLATES:
        raise ValidationError({"template": _("Choose one of the common questions.")})
    if key in FIXED_FIELDS:
        return convert_fixed_field(event, key, by=by)
    return add_question(event, _template_details(key), by=by, template_key=key)


def fixed_fields_asked(questions: list[FormQuestion]) -> list[str]:
    """The fixed fields (dietary, accessibility needs) the form still asks as fields: those
    not turned into a question (archived or not) yet."""
    converted = {question.template_key for question in questions}
    return [key for key in FIXED_FIELDS if key not in converted]


def convert_fixed_field(event: Event, key: str, *, by: User | None) -> FormQuestion:
    """Ask a fixed field as a question from now on: every registration's answer so far is
    copied into it (and the field emptied) in the same transaction, so nothing is lost and
    nothing is kept twice. Once converted, the form no longer shows the field."""
    existing = next((q for q in event_questions(event) if q.template_key == key), None)
    if existing is not None:
        return existing
    last = db.session.scalar(select(func.max(FormQuestion.position)).where(FormQuestion.event_id == event.id))
    question = FormQuestion(event_id=event.id, position=(last or 0) + 1, template_key=key)
    event.has_form_questions = True
    _apply(question, _template_details(key))
    db.session.add(question)
    db.session.flush()
    column = getattr(Registration, FIXED_FIELDS[key])
    db.session.execute(
        insert(FormAnswer).from_select(
            ["registration_id", "question_id", "text"],
            select(Registration.id, literal(question.id), column).where(
                Registration.event_id == event.id, column != ""
            ),
        )
    )
    db.session.execute(update(Registration).where(Registration.event_id == event.id).values(**{FIXED_FIELDS[key]: ""}))
    audit.record(by, "question.from_field", event=event, question=question.id, field=key)
    db.session.commit()
    return question


def copy_questions(event: Event, copy: Event) -> None:
    """Give a duplicated event the same questions (conditions pointing at the copies' own
    choices); a fixed field turned into a question stays a question. The caller commits."""
    kept = [q for q in event_questions(event) if q.archived_at is None or q.template_key in FIXED_FIELDS]
    if not kept:
        return
    db.session.add(copy)
    copy.has_form_questions = True
    db.session.flush()
    copies: dict[int, FormQuestion] = {}
    for question in kept:
        copies[question.id] = FormQuestion(
            event_id=copy.id,
            **{
                name: getattr(question, name)
                for name in ("position", "kind", "text_sv", "text_en", "help_sv", "help_en", "required")
            },
            template_key=question.template_key,
            archived_at=question.archived_at,
            options=[
                FormQuestionOption(position=o.position, text_sv=o.text_sv, text_en=o.text_en)
                for o in question.active_options
            ],
        )
    db.session.add_all(copies.values())
    db.session.flush()
    option_copies = {
        old.id: new.id
        for question in kept
        for old, new in zip(question.active_options, copies[question.id].options, strict=True)
    }
    for question in kept:
        copies[question.id].shown_if_option_id = option_copies.get(question.shown_if_option_id)
