"""Feedback surveys after an event: questions, personal links, and the answers.

An anonymous survey keeps who answered apart from what was answered: `SurveyRespondent`
records only that a registration answered, with no time and no link to the answer
rows, and an anonymous `SurveyResponse` has no registration and no time. Response and
answer ids are random, so not even their order tells who answered first.
"""

import secrets
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.event import str_enum
from app.models.tokens import new_token
from app.models.types import UTCDateTime, utcnow

# A survey closes this long after its event ends unless the organiser sets a date.
DEFAULT_OPEN_DAYS = 14


class QuestionKind(StrEnum):
    RATING = "rating"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    FREE_TEXT = "free_text"


CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
RATING_SCALE = (1, 2, 3, 4, 5)


def random_id() -> int:
    """A random positive 63-bit id: storage order reveals nothing about answering order."""
    return secrets.randbelow(2**62) + 1


def in_language(swedish: str, english: str, locale: str) -> str:
    """The text in the reader's language, falling back to Swedish (then English)."""
    if locale == "en" and english:
        return english
    return swedish or english


class Survey(db.Model):
    """The feedback survey of one event."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    anonymous: Mapped[bool] = mapped_column(default=True)
    # None: the survey opens when the event ends.
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # None: DEFAULT_OPEN_DAYS after the event ends.
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Those who have not answered are reminded this many days before closing; 0 sends none.
    reminder_days: Mapped[int] = mapped_column(default=3)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped["Event"] = relationship()  # noqa: F821
    questions: Mapped[list["SurveyQuestion"]] = relationship(
        back_populates="survey",
        cascade="all, delete-orphan",
        order_by="(SurveyQuestion.position, SurveyQuestion.id)",
    )

    @property
    def opens(self) -> datetime:
        return self.opens_at or self.event.ends_at

    @property
    def closes(self) -> datetime:
        return self.closes_at or self.event.ends_at + timedelta(days=DEFAULT_OPEN_DAYS)

    def is_open(self, now: datetime | None = None) -> bool:
        return self.phase(now) == "open"

    def phase(self, now: datetime | None = None) -> str:
        """ "not_open", "open" or "closed"."""
        now = now or utcnow()
        if now < self.opens:
            return "not_open"
        return "open" if now < self.closes else "closed"

    def __repr__(self) -> str:
        return f"<Survey {self.id} event {self.event_id}>"


class SurveyQuestion(db.Model):
    """One question, with its text in Swedish and English (either may be empty, not both)."""

    __tablename__ = "survey_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind))
    # The default template's role for the question ("overall" is compared across events).
    key: Mapped[str] = mapped_column(String(30), default="")
    text_sv: Mapped[str] = mapped_column(String(500), default="")
    text_en: Mapped[str] = mapped_column(String(500), default="")
    required: Mapped[bool] = mapped_column(default=False)
    # The words at the ends of a rating scale, e.g. "Very poor" for 1 and "Very good" for 5.
    low_label_sv: Mapped[str] = mapped_column(String(100), default="")
    low_label_en: Mapped[str] = mapped_column(String(100), default="")
    high_label_sv: Mapped[str] = mapped_column(String(100), default="")
    high_label_en: Mapped[str] = mapped_column(String(100), default="")

    survey: Mapped[Survey] = relationship(back_populates="questions")
    options: Mapped[list["SurveyOption"]] = relationship(
        back_populates="question",
        cascade="all, delete-orphan",
        order_by="(SurveyOption.position, SurveyOption.id)",
    )

    def text(self, locale: str) -> str:
        return in_language(self.text_sv, self.text_en, locale)

    def low_label(self, locale: str) -> str:
        return in_language(self.low_label_sv, self.low_label_en, locale)

    def high_label(self, locale: str) -> str:
        return in_language(self.high_label_sv, self.high_label_en, locale)

    @property
    def field_name(self) -> str:
        """The name of the question's input on the answer form."""
        return f"q{self.id}"


class SurveyOption(db.Model):
    """An answer to choose in a single or multiple choice question."""

    __tablename__ = "survey_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_question.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text_sv: Mapped[str] = mapped_column(String(200), default="")
    text_en: Mapped[str] = mapped_column(String(200), default="")

    question: Mapped[SurveyQuestion] = relationship(back_populates="options")

    def text(self, locale: str) -> str:
        return in_language(self.text_sv, self.text_en, locale)


class SurveyLink(db.Model):
    """A participant's personal link to the survey, made when they are invited to answer."""

    __tablename__ = "survey_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), default=new_token)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    survey: Mapped[Survey] = relationship()
    registration: Mapped["Registration"] = relationship()  # noqa: F821

    __table_args__ = (
        # Invited once: a second worker inserting the same pair fails instead of mailing again.
        UniqueConstraint("survey_id", "registration_id", name="uq_survey_link_survey_id_registration_id"),
        UniqueConstraint("token", name="uq_survey_link_token"),
    )


class SurveyRespondent(db.Model):
    """That a registration has answered a survey, and nothing more: no time, no answers.

    The primary key makes a second first answer (a double click) fail, so nobody counts twice.
    """

    __tablename__ = "survey_respondent"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SurveyResponse(db.Model):
    """One person's answers. Named: linked to the registration. Anonymous: linked to nothing;
    only a hash of a secret kept in the respondent's browser lets them change it."""

    __tablename__ = "survey_response"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False, default=random_id)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    # SET NULL: when registrations are purged, their answers stay for the statistics, unnamed.
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"))
    edit_key_hash: Mapped[str | None] = mapped_column(String(64))
    # Named responses only: the day of the last change (never a time, never on anonymous ones).
    submitted_on: Mapped[date | None]

    registration: Mapped["Registration | None"] = relationship()  # noqa: F821
    answers: Mapped[list["SurveyAnswer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        UniqueConstraint("survey_id", "registration_id", name="uq_survey_response_survey_id_registration_id"),
        UniqueConstraint("edit_key_hash", name="uq_survey_response_edit_key_hash"),
    )


class SurveyAnswer(db.Model):
    """The answer to one question: a rating or yes (1) / no (0) in `number`, a chosen option
    (one row per option for multiple choice), or a free text."""

    __tablename__ = "survey_answer"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False, default=random_id)
    response_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("survey_response.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_question.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("survey_option.id", ondelete="CASCADE"), index=True)
    number: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")

    # Results are counted per question.
    __table_args__ = (Index("ix_survey_answer_question_id_number", "question_id", "number"),)
