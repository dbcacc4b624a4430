"""The regions' progress in the five-step model of regional collaboration."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.models import CollaborationStep, Region, RegionStepRecord, User
from app.services import ValidationError


def steps() -> list[CollaborationStep]:
    return list(db.session.scalars(select(CollaborationStep).order_by(CollaborationStep.number)))


def record_step(region: Region, step_number: int, recorded_on: date, note: str, by: User) -> RegionStepRecord:
    """Record that a region reached a step on a date; earlier records stay as its history."""
    if db.session.get(CollaborationStep, step_number) is None:
        raise ValidationError({"step_number": _("Choose one of the five steps.")})
    if recorded_on > date.today():
        raise ValidationError({"recorded_on": _("The date cannot be in the future.")})
    record = RegionStepRecord(
        region=region, step_number=step_number, recorded_on=recorded_on,
        note=note.strip(), recorded_by_id=by.id,
    )
    db.session.add(record)
    db.session.commit()
    return record


def history(region: Region) -> list[RegionStepRecord]:
    """The region's step records, latest first; the first is its current step."""
    return list(
        db.session.scalars(
            select(RegionStepRecord)
            .where(RegionStepRecord.region_id == region.id)
            .order_by(RegionStepRecord.recorded_on.desc(), RegionStepRecord.id.desc())
        )
    )


def current_steps() -> dict[int, RegionStepRecord]:
    """Each region's latest step record, by region id, in two queries."""
    latest = (
        select(RegionStepRecord.region_id, func.max(RegionStepRecord.id).label("id"))
        .group_by(RegionStepRecord.region_id)
        .subquery()
    )
    records = db.session.scalars(
        select(RegionStepRecord).join(latest, RegionStepRecord.id == latest.c.id)
    )
    return {record.region_id: record for record in records}


def rename_steps(names: dict[int, tuple[str, str]]) -> None:
    """Let an admin reword the steps: {number: (Swedish name, English name)}; all or nothing."""
    cleaned = {number: (sv.strip(), en.strip()) for number, (sv, en) in names.items()}
    problems = {
        f"step_{number}": _("Each step needs a name in both languages.")
        for number, (sv, en) in cleaned.items()
        if not sv or not en
    }
    if problems:
        raise ValidationError(problems)
    for step in steps():
        if step.number in cleaned:
            step.name_sv, step.name_en = cleaned[step.number]
    db.session.commit()
