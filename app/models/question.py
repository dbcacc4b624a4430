"""An event's own registration questions, their choices, and the answers people give.

A question that is removed is archived, never deleted, so the answers already given stay
readable (in the participant list, its CSV and the data export) until the retention purge
erases them with the registration. Yes/no questions keep their two answers as choices, so
every choice answer (single, multiple, yes/no) is a row pointing at an option: counted,
filtered and used in conditions the same way.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.event import str_enum
from app.models.types import UTCDateTime, utcnow


class FormQuestionKind(StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    NUMBER = "number"
    DATE = "date"


# Kinds answered by picking options; the others keep their answer as text.
CHOICE_KINDS = (FormQuestionKind.SINGLE_CHOICE, FormQuestionKind.MULTIPLE_CHOICE, FormQuestionKind.YES_NO)
# Kinds a later question may depend on: one answer, so "shown when the answer is X" is clear.
CONDITION_KINDS = (FormQuestionKind.SINGLE_CHOICE, FormQuestionKind.YES_NO)


def _in(locale: str, sv: str, en: str) -> str:
    return en if locale == "en" and en else sv


class FormQuestion(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[FormQuestionKind] = mapped_column(str_enum(FormQuestionKind))
    text_sv: Mapped[str] = mapped_column(String(300))
    text_en: Mapped[str] = mapped_column(String(300), default="")
    help_sv: Mapped[str] = mapped_column(String(500), default="")
    help_en: Mapped[str] = mapped_column(String(500), default="")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    # The template it was picked from ("dietary_needs", ...); a fixed field of the form
    # turned into a question is no longer asked as a field.
    template_key: Mapped[str] = mapped_column(String(40), default="")
    # Shown (and required) only when this earlier question's answer is this option. No
    # foreign key: it would make the two tables refer to each other; options are never
    # deleted on their own (archived), so the id always finds its option.
    shown_if_option_id: Mapped[int | None] = mapped_column()
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    options: Mapped[list["FormQuestionOption"]] = relationship(
        back_populates="question",
        order_by="FormQuestionOption.position",
        foreign_keys="FormQuestionOption.question_id",
        cascade="all, delete-orphan",
    )

    def text(self, locale: str) -> str:
        return _in(locale, self.text_sv, self.text_en)

    def help(self, locale: str) -> str:
        return _in(locale, self.help_sv, self.help_en)

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def active_options(self) -> list["FormQuestionOption"]:
        return [option for option in self.options if option.archived_at is None]

    def __repr__(self) -> str:
        return f"<FormQuestion {self.id} {self.kind.value} event {self.event_id}>"


class FormQuestionOption(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("form_question.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text_sv: Mapped[str] = mapped_column(String(200))
    text_en: Mapped[str] = mapped_column(String(200), default="")
    # A choice removed from the question: its answers stay, it is no longer offered.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    question: Mapped[FormQuestion] = relationship(back_populates="options", foreign_keys=[question_id])

    def text(self, locale: str) -> str:
        return _in(locale, self.text_sv, self.text_en)


class FormAnswer(db.Model):
    """One answer: a chosen option (one row per option of a multiple choice), or text."""

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("form_question.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("form_question_option.id", ondelete="CASCADE"))
    # Text, a number ("12.5") or a date ("2026-05-04"), as the question's kind says.
    text: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_form_answer_question_id_option_id", "question_id", "option_id"),)
