"""The survey invitations and reminders, queued by the mail worker when they fall due."""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload

from app.extensions import db
from app.models import (
    HELD_STATUSES,
    Event,
    Registration,
    RegistrationStatus,
    Survey,
    SurveyLink,
    SurveyRespondent,
)
from app.models.survey import DEFAULT_OPEN_DAYS
from app.models.types import utcnow
from app.services import attendance, mail


def _open_surveys(now: datetime):
    """Surveys of held events whose window is open now (opening and closing default to the event's end)."""
    return (
        select(Survey.id)
        .join(Event, Survey.event_id == Event.id)
        .where(
            Event.status.in_(HELD_STATUSES),
            or_(Survey.opens_at <= now, and_(Survey.opens_at.is_(None), Event.ends_at <= now)),
            or_(
                Survey.closes_at > now,
                and_(Survey.closes_at.is_(None), Event.ends_at > now - timedelta(days=DEFAULT_OPEN_DAYS)),
            ),
        )
    )


def eligible_condition():
    """Who is asked for feedback: those who attended; everyone confirmed when nobody was checked in.
    Never an erased registration: its address is gone."""
    other = aliased(Registration)
    checked_in = exists().where(other.event_id == Registration.event_id, other.status == RegistrationStatus.ATTENDED)
    return and_(
        Registration.erased_at.is_(None),
        or_(
            Registration.status == RegistrationStatus.ATTENDED,
            and_(Registration.status == RegistrationStatus.CONFIRMED, ~checked_in),
        ),
    )


def send_due_survey_mail(now: datetime | None = None) -> int:
    """Queue the survey invitations and reminders due now; returns how many were queued.

    Each participant is invited once, when the survey opens, and reminded once,
    `reminder_days` before it closes, if they have not answered. Safe with several
    workers: an invitation is claimed by inserting its unique link, a reminder by a
    conditional update.
    """
    now = now or utcnow()
    survey_ids = list(db.session.scalars(_open_surveys(now)))
    if not survey_ids:
        return 0
    return _invite(survey_ids, now) + _remind(survey_ids, now)


def _invite(survey_ids: list[int], now: datetime) -> int:
    already = exists().where(SurveyLink.survey_id == Survey.id, SurveyLink.registration_id == Registration.id)
    pending = db.session.execute(
        select(Survey.id, Registration.id)
        .join(Registration, Registration.event_id == Survey.event_id)
        .where(Survey.id.in_(survey_ids), eligible_condition(), ~already)
        .order_by(Survey.id, Registration.id)
    ).all()
    sent = 0
    for survey_id, registration_id in pending:
        link = SurveyLink(survey_id=survey_id, registration_id=registration_id, invited_at=now)
        db.session.add(link)
        try:
            db.session.flush()
        except IntegrityError:  # another worker invited this person a moment ago
            db.session.rollback()
            continue
        _mail(link, "survey_invitation", _l("What did you think of %(title)s?", title=link.survey.event.title))
        db.session.commit()
        sent += 1
    return sent


def _remind(survey_ids: list[int], now: datetime) -> int:
    survey_ids = _reminders_due(survey_ids, now)
    if not survey_ids:
        return 0
    answered = exists().where(
        SurveyRespondent.survey_id == SurveyLink.survey_id,
        SurveyRespondent.registration_id == SurveyLink.registration_id,
    )
    candidates = db.session.scalars(
        select(SurveyLink)
        .where(
            SurveyLink.survey_id.in_(survey_ids),
            SurveyLink.reminded_at.is_(None),
            ~answered,
            SurveyLink.registration.has(Registration.erased_at.is_(None)),
        )
        .options(selectinload(SurveyLink.survey).selectinload(Survey.event))
        .order_by(SurveyLink.id)
    ).all()
    sent = 0
    for link in candidates:
        due_from = link.survey.closes - timedelta(days=link.survey.reminder_days)
        # Someone invited after the reminder time has a fresh invitation: no reminder on top.
        if link.invited_at >= due_from:
            continue
        claimed = db.session.execute(
            update(SurveyLink)
            .where(SurveyLink.id == link.id, SurveyLink.reminded_at.is_(None))
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            _mail(
                link, "survey_reminder", _l("Reminder: what did you think of %(title)s?", title=link.survey.event.title)
            )
            sent += 1
        db.session.commit()
    return sent


def _reminders_due(survey_ids: list[int], now: datetime) -> list[int]:
    """Those of the open surveys whose reminder time has come: only their links are read."""
    surveys = db.session.scalars(
        select(Survey).where(Survey.id.in_(survey_ids), Survey.reminder_days > 0).options(selectinload(Survey.event))
    )
    return [survey.id for survey in surveys if now >= survey.closes - timedelta(days=survey.reminder_days)]


def _mail(link: SurveyLink, template: str, subject) -> None:
    registration = link.registration
    event = link.survey.event
    # The certificate goes with the invitation (not again with the reminder) when the
    # organiser asked for it and the person was checked in.
    certificate = (
        attendance.certificate_attachment(registration)
        if template == "survey_invitation" and event.certificate_with_survey
        else None
    )
    mail.enqueue(
        registration.email,
        template,
        locale=registration.locale,
        subject=subject,
        to_name=registration.name,
        event=link.survey.event,
        registration=registration,
        survey=link.survey,
        link=link,
        attachments=[certificate] if certificate else [],
        with_certificate=certificate is not None,
    )
