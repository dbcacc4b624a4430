"""The organisers' queue of requests, and what happened to one."""

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import OPEN_VISIT_STATUSES, AuditEntry, Event, Region, VisitOrigin, VisitRequest, VisitStatus
from app.services.search import any_contains


@dataclass
class QueueFilters:
    status: VisitStatus | None = None
    # True: only open requests (the default view), False: all.
    open_only: bool = True
    region: Region | None = None
    origin: VisitOrigin | None = None
    # A user id, or 0 for "assigned to nobody".
    assignee_id: int | None = None
    search: str = ""


def queue_query(filters: QueueFilters) -> Select:
    """Visit requests for the organisers' queue, oldest open first, with what the list shows."""
    query = select(VisitRequest).options(
        selectinload(VisitRequest.region),
        selectinload(VisitRequest.assignee),
        selectinload(VisitRequest.event),
    )
    if filters.status is not None:
        query = query.where(VisitRequest.status == filters.status)
    elif filters.open_only:
        query = query.where(VisitRequest.status.in_(OPEN_VISIT_STATUSES))
    if filters.region is not None:
        query = query.where(VisitRequest.region_id == filters.region.id)
    if filters.origin is not None:
        query = query.where(VisitRequest.origin == filters.origin)
    if filters.assignee_id == 0:
        query = query.where(VisitRequest.assignee_id.is_(None))
    elif filters.assignee_id is not None:
        query = query.where(VisitRequest.assignee_id == filters.assignee_id)
    if filters.search:
        query = query.where(
            any_contains(
                filters.search,
                func.lower(VisitRequest.contact_name),
                func.lower(VisitRequest.contact_email),
                func.lower(VisitRequest.organisation),
            )
        )
    return query.order_by(VisitRequest.created_at, VisitRequest.id)


def status_counts() -> dict[VisitStatus, int]:
    """How many requests have each status, for the queue's summary."""
    counts = dict(db.session.execute(select(VisitRequest.status, func.count()).group_by(VisitRequest.status)).all())
    return {status: counts.get(status, 0) for status in VisitStatus}


def for_region(region: Region) -> tuple[list[VisitRequest], list[VisitRequest]]:
    """A region's open and past (declined or scheduled) requests, newest first."""
    visits = db.session.scalars(
        select(VisitRequest)
        .options(selectinload(VisitRequest.assignee), selectinload(VisitRequest.event))
        .where(VisitRequest.region_id == region.id)
        .order_by(VisitRequest.created_at.desc(), VisitRequest.id.desc())
    ).all()
    return [v for v in visits if v.is_open], [v for v in visits if not v.is_open]


def for_event(event: Event) -> VisitRequest | None:
    """The visit request an event was made from, if any."""
    return db.session.scalar(select(VisitRequest).where(VisitRequest.event_id == event.id).limit(1))


def log(visit: VisitRequest) -> list:
    """The audit entries about one request, newest first."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .options(selectinload(AuditEntry.actor))
            .where(AuditEntry.action.like("visit.%"), AuditEntry.details["visit_request"].as_integer() == visit.id)
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        )
    )
