"""Erasure after the retention periods: `flask purge-personal-data`, run daily."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    AuditEntry,
    Contact,
    Event,
    ImportBatch,
    Invitation,
    OutboxMessage,
    OutboxStatus,
    Registration,
    VisitRequest,
)
from app.models.types import utcnow
from app.services import audit
from app.services.invitations import suppression
from app.services.personal_data.erasure import anonymise, anonymise_visit, delete_invitations, delete_messages


@dataclass
class PurgeReport:
    """What `purge_expired` erased (or would erase), by kind."""

    registrations: int = 0
    messages: int = 0
    invitations: int = 0
    events: list[int] = field(default_factory=list)
    visit_requests: int = 0
    other_messages: int = 0
    import_previews: int = 0
    contacts: int = 0
    unsubscribed_contacts: int = 0
    audit_entries: int = 0


def retention_ended(event: Event, now: datetime) -> bool:
    return event.ends_at + relativedelta(months=event.retention_months) <= now


def purge_expired(*, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Erase the personal data whose retention period has passed (the periods /privacy states).

    Safe to run again and again: what is erased is not counted twice. `dry_run` counts
    what would go and changes nothing.
    """
    now = now or utcnow()
    config = current_app.config
    report = PurgeReport()
    _purge_events(report, now, dry_run)
    _purge_visits(report, now - relativedelta(months=config["VISIT_RETENTION_MONTHS"]), now, dry_run)
    _purge_other_mail(report, now - timedelta(days=config["MAIL_RETENTION_DAYS"]), dry_run)
    _purge_previews(report, now - timedelta(hours=config["IMPORT_PREVIEW_HOURS"]), dry_run)
    _purge_contacts(
        report,
        now - relativedelta(months=config["CONTACT_RETENTION_MONTHS"]),
        now - timedelta(days=config["UNSUBSCRIBED_CONTACT_DAYS"]),
        dry_run,
    )
    _purge_audit(report, now - relativedelta(months=config["AUDIT_RETENTION_MONTHS"]), dry_run)
    return report


def _purge_events(report: PurgeReport, now: datetime, dry_run: bool) -> None:
    """Registrations, mail and invitations of events whose own retention period has passed."""
    ended = db.session.scalars(select(Event).where(Event.ends_at < now).order_by(Event.ends_at))
    for event in ended:
        if not retention_ended(event, now):
            continue
        kept = list(
            db.session.scalars(
                select(Registration).where(Registration.event_id == event.id, Registration.erased_at.is_(None))
            )
        )
        messages = db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.event_id == event.id)).all()
        invited = db.session.scalars(select(Invitation.id).where(Invitation.event_id == event.id)).all()
        if not kept and not messages and not invited:
            continue
        report.events.append(event.id)
        report.registrations += len(kept)
        report.messages += len(messages)
        report.invitations += len(invited)
        if dry_run:
            continue
        for registration in kept:
            anonymise(registration, now)
        delete_messages(select(OutboxMessage.id).where(OutboxMessage.event_id == event.id))
        delete_invitations(list(db.session.scalars(select(Invitation.id).where(Invitation.event_id == event.id))))
        audit.record(None, "event.personal_data_purged", event=event, registrations=len(kept))
        db.session.commit()


def _purge_visits(report: PurgeReport, cutoff: datetime, now: datetime, dry_run: bool) -> None:
    """Visit requests last handled, and whose visit took place, before the cutoff."""
    candidates = db.session.scalars(
        select(VisitRequest)
        .options(selectinload(VisitRequest.notes), selectinload(VisitRequest.event))
        .where(VisitRequest.erased_at.is_(None), VisitRequest.updated_at < cutoff)
    )
    for visit in candidates:
        last = max(
            [
                visit.updated_at,
                *(note.created_at for note in visit.notes),
                *([visit.event.ends_at] if visit.event else []),
            ]
        )
        if last >= cutoff:
            continue
        report.visit_requests += 1
        if not dry_run:
            anonymise_visit(visit, now, keep_thread=False)
            audit.record(None, "visit.personal_data_purged", visit_request=visit.id)
    if not dry_run:
        db.session.commit()


def _purge_other_mail(report: PurgeReport, cutoff: datetime, dry_run: bool) -> None:
    """Mail not tied to an event (visit requests, test mail), once delivered or given up on."""
    old = select(OutboxMessage.id).where(
        OutboxMessage.event_id.is_(None),
        OutboxMessage.created_at < cutoff,
        OutboxMessage.status.not_in([OutboxStatus.QUEUED, OutboxStatus.SENDING]),
    )
    report.other_messages = db.session.scalar(select(func.count()).select_from(old.subquery()))
    if not dry_run and report.other_messages:
        delete_messages(old)
        db.session.commit()


def _purge_previews(report: PurgeReport, cutoff: datetime, dry_run: bool) -> None:
    """Address-list previews nobody confirmed in time."""
    condition = ImportBatch.created_at < cutoff
    report.import_previews = db.session.scalar(select(func.count()).select_from(ImportBatch).where(condition))
    if not dry_run and report.import_previews:
        db.session.execute(delete(ImportBatch).where(condition))
        db.session.commit()


def _purge_contacts(report: PurgeReport, unused_before: datetime, unsubscribed_before: datetime, dry_run: bool) -> None:
    """Address-book entries nobody added, changed or invited for the retention period; and
    unsubscribed ones after their grace period, of which only the keyed hash stays."""
    invited_since = exists().where(Invitation.contact_id == Contact.id, Invitation.created_at >= unused_before)
    unused = select(Contact.id).where(
        Contact.unsubscribed_at.is_(None),
        Contact.updated_at < unused_before,
        or_(Contact.last_invited_at.is_(None), Contact.last_invited_at < unused_before),
        ~invited_since,
    )
    report.contacts = db.session.scalar(select(func.count()).select_from(unused.subquery()))
    unsubscribed = list(db.session.scalars(select(Contact).where(Contact.unsubscribed_at < unsubscribed_before)))
    report.unsubscribed_contacts = len(unsubscribed)
    if dry_run:
        return
    ids = list(db.session.scalars(unused))
    for start in range(0, len(ids), 500):
        db.session.execute(delete(Contact).where(Contact.id.in_(ids[start : start + 500])))
    for contact in unsubscribed:
        suppression.suppress(contact.email)
        db.session.delete(contact)
    db.session.commit()


def _purge_audit(report: PurgeReport, cutoff: datetime, dry_run: bool) -> None:
    """The log of organisers' actions, after its retention period."""
    condition = AuditEntry.created_at < cutoff
    report.audit_entries = db.session.scalar(select(func.count()).select_from(AuditEntry).where(condition))
    if not dry_run and report.audit_entries:
        db.session.execute(delete(AuditEntry).where(condition))
        db.session.commit()
