"""Sweden's regions and their progress in the five-step collaboration model."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class Region(db.Model):
    """One of the 21 regions, identified by its official county code ("05")."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)

    step_records: Mapped[list["RegionStepRecord"]] = relationship(
        back_populates="region",
        order_by="(RegionStepRecord.recorded_on.desc(), RegionStepRecord.id.desc())",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"


class CollaborationStep(db.Model):
    """A step of the five-step model; admins may reword the names."""

    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name_sv: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))

    def name_for(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_sv


class RegionStepRecord(db.Model):
    """That a region reached a step on a date; the records together are its history."""

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    step_number: Mapped[int] = mapped_column(ForeignKey("collaboration_step.number"))
    recorded_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region] = relationship(back_populates="step_records")
    step: Mapped[CollaborationStep] = relationship()
    recorded_by: Mapped["User | None"] = relationship()  # noqa: F821
