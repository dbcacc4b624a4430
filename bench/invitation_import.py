"""How long importing 10,000 invitations from a CSV file takes (target: under 5 s).

Organisers paste or upload their networks' address lists; a list of a whole
region's municipalities, schools and employers must not keep them waiting. The
import runs through the invitations service in this process, against the bench
database, as the organiser's upload does: `preview` reads and checks the uploaded
file and keeps it, `confirm_batch` invites its rows (contacts, invitations, their
history and the queued mail, in one transaction). Invitations need a published
event that has not started, so one is made for the purpose; it is deleted
afterwards with its queued mail and the contacts the import added, so every run
imports addresses the database has not seen.
"""

import csv
import importlib
import importlib.util
import io
import time
from datetime import timedelta

from sqlalchemy import delete, select

from bench.context import BenchContext, failed, not_available, remove_event
from bench.dataset import BENCH_ADMIN_EMAIL, CITIES, SECTORS

ROWS = 10_000
ADDRESSES = "inbjuden.%@bench.example.com"  # a LIKE pattern matching every address of the list


def invitation_csv(rows: int | None = None) -> bytes:
    """An uploaded file: semicolon-separated UTF-8 with a BOM, as Swedish Excel saves it,
    with the columns the issue names."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["name", "email", "organisation", "sector", "municipality"])
    cities = list(CITIES.values())
    for n in range(ROWS if rows is None else rows):
        writer.writerow(
            [
                f"Inbjuden Person {n}",
                ADDRESSES.replace("%", str(n)),
                "Kommunen",
                SECTORS[n % len(SECTORS)],
                cities[n % len(cities)],
            ]
        )
    return "\ufeff".encode() + out.getvalue().encode()


def upload_invitations(event, data: bytes, actor) -> tuple[int, float, float]:
    """The calls the organiser's upload makes (manage.invite, then manage.invitation_preview);
    adjust them if the service's signatures change. Returns (invited, preview s, confirm s)."""
    from app.services import invitations
    from app.services.invitations import previews

    started = time.perf_counter()
    batch = invitations.preview(event, data, actor, source_name="adresser.csv", field="file")
    valid = sum(1 for row in previews.batch_rows(batch) if row.ok)
    checked = time.perf_counter()
    result = invitations.confirm_batch(batch, event, actor, expected=valid)
    return result.imported, checked - started, time.perf_counter() - checked


def _published_event(actor) -> int:
    from app.extensions import db
    from app.models import Event, EventKind, EventStatus, Region
    from app.models.types import utcnow

    starts_at = utcnow().replace(microsecond=0) + timedelta(days=60)
    event = Event(
        kind=EventKind.WORKSHOP,
        title="Bench: import av inbjudningar",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        venue_name="Regionhuset",
        venue_city="Linköping",
        region=db.session.scalar(select(Region).where(Region.code == "05")),
        invitation_only=True,
        status=EventStatus.PUBLISHED,
        organisers=[actor],
    )
    db.session.add(event)
    db.session.commit()
    return event.id


def _remove(event_id: int) -> None:
    """The event (its invitations and preview go with it), its queued mail, its audit entry
    (which outlives events, and SQLite may give the next bench event the same id), and the
    contacts the import added."""
    from app.extensions import db
    from app.models import AuditEntry, Contact, OutboxMessage

    db.session.rollback()
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.event_id == event_id))
    db.session.execute(delete(AuditEntry).where(AuditEntry.event_id == event_id))
    db.session.commit()
    remove_event(event_id)
    db.session.execute(delete(Contact).where(Contact.email.like(ADDRESSES)))
    db.session.commit()


def measure_invitation_import(ctx: BenchContext) -> dict:
    if importlib.util.find_spec("app.services.invitations") is None:
        return not_available("no app.services.invitations")
    service = importlib.import_module("app.services.invitations")
    if not all(hasattr(service, name) for name in ("preview", "confirm_batch")):
        return not_available("no app.services.invitations.preview / confirm_batch")
    from app.extensions import db
    from app.models import Contact, Event, User

    data = invitation_csv()
    with ctx.app.app_context():
        # Left behind by an interrupted run: the list must be new to the database.
        db.session.execute(delete(Contact).where(Contact.email.like(ADDRESSES)))
        db.session.commit()
        actor = db.session.scalar(select(User).where(User.email == BENCH_ADMIN_EMAIL))
        event_id = _published_event(actor)
        try:
            invited, preview_s, confirm_s = upload_invitations(db.session.get(Event, event_id), data, actor)
            if invited != ROWS:
                raise RuntimeError(f"{invited} of {ROWS} rows were invited")
            seconds = preview_s + confirm_s
            return {
                "status": "measured",
                "rows": ROWS,
                "seconds": round(seconds, 2),
                "preview_seconds": round(preview_s, 2),
                "confirm_seconds": round(confirm_s, 2),
                "rows_per_second": round(ROWS / seconds),
            }
        except Exception as error:  # report a mismatch with the feature, never stop the run
            db.session.rollback()
            return failed(error)
        finally:
            _remove(event_id)
