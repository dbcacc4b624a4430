"""How long importing 10,000 invitations from a CSV file takes (target: under 5 s).

Organisers paste or upload their networks' address lists; a list of a whole
region's municipalities, schools and employers must not keep them waiting. The
import runs through the invitations service in this process, against the bench
database, for a new draft event that is deleted afterwards.
"""

import csv
import importlib
import importlib.util
import io
import time
from datetime import timedelta

from sqlalchemy import select

from bench.context import BenchContext, failed, not_available, remove_event
from bench.dataset import BENCH_ADMIN_EMAIL, CITIES, SECTORS

ROWS = 10_000


def invitation_csv(rows: int = ROWS) -> str:
    """Semicolon-separated, as Swedish Excel saves it, with the columns the issue names."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["name", "email", "organisation", "sector", "municipality"])
    cities = list(CITIES.values())
    for n in range(rows):
        writer.writerow([f"Inbjuden Person {n}", f"inbjuden.{n}@bench.example.se", "Kommunen",
                         SECTORS[n % len(SECTORS)], cities[n % len(cities)]])
    return out.getvalue()


def import_invitations(event, csv_text: str, actor):
    """The one call into the feature: adjust it if the service's signature differs."""
    from app.services import invitations

    return invitations.import_rows(event, csv_text, actor)


def measure_invitation_import(ctx: BenchContext) -> dict:
    if importlib.util.find_spec("app.services.invitations") is None:
        return not_available("no app.services.invitations")
    if not hasattr(importlib.import_module("app.services.invitations"), "import_rows"):
        return not_available("no app.services.invitations.import_rows")
    from app.extensions import db
    from app.models import Event, EventKind, EventStatus, User
    from app.models.types import utcnow

    text = invitation_csv()
    with ctx.app.app_context():
        actor = db.session.scalar(select(User).where(User.email == BENCH_ADMIN_EMAIL))
        starts_at = utcnow().replace(microsecond=0) + timedelta(days=60)
        event = Event(kind=EventKind.WORKSHOP, title="Bench: import av inbjudningar", starts_at=starts_at,
                      ends_at=starts_at + timedelta(hours=3), venue_name="Regionhuset", venue_city="Linköping",
                      invitation_only=True, status=EventStatus.DRAFT, organisers=[actor])
        db.session.add(event)
        db.session.commit()
        try:
            started = time.perf_counter()
            import_invitations(event, text, actor)
            seconds = time.perf_counter() - started
            return {"status": "measured", "rows": ROWS, "seconds": round(seconds, 2),
                    "rows_per_second": round(ROWS / seconds)}
        except Exception as error:  # report a mismatch with the feature, never stop the run
            db.session.rollback()
            return failed(error)
        finally:
            remove_event(event.id)
