"""The preview of a checked address list (`ImportBatch`), kept in the database between the
upload and the confirmation, so that any app server can show and confirm it before
anything is imported."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete

from app.extensions import db
from app.models import Event, ImportBatch, ImportPurpose, User
from app.models.types import utcnow
from app.services.invitations.address_lists import AddressRow


def batch_lifetime() -> timedelta:
    """How long a preview waits for confirmation before it is thrown away (IMPORT_PREVIEW_HOURS)."""
    return timedelta(hours=current_app.config["IMPORT_PREVIEW_HOURS"])


def save_batch(
    purpose: ImportPurpose,
    rows: list[AddressRow],
    by: User,
    *,
    event: Event | None = None,
    source_name: str = "",
    options: dict | None = None,
) -> ImportBatch:
    """Keep a checked list for the organiser to confirm; old unconfirmed lists are removed."""
    db.session.execute(delete(ImportBatch).where(ImportBatch.created_at < utcnow() - batch_lifetime()))
    # A file's name is whatever the browser sent: keep only printable characters (no NUL).
    source_name = "".join(character for character in source_name if character.isprintable())[:200]
    batch = ImportBatch(
        purpose=purpose,
        event_id=event.id if event else None,
        created_by_id=by.id,
        source_name=source_name,
        rows=[row.as_dict() for row in rows],
        options=options or {},
    )
    db.session.add(batch)
    db.session.commit()
    return batch


def find_batch(batch_id: int, purpose: ImportPurpose, by: User, *, event: Event | None = None) -> ImportBatch | None:
    """The organiser's own unexpired batch for this purpose (and event), else None."""
    batch = db.session.get(ImportBatch, batch_id)
    if (
        batch is None
        or batch.purpose != purpose
        or batch.created_by_id != by.id
        or batch.event_id != (event.id if event else None)
        or batch.created_at < utcnow() - batch_lifetime()
    ):
        return None
    return batch


def batch_rows(batch: ImportBatch) -> list[AddressRow]:
    return [AddressRow.from_dict(data) for data in batch.rows]


def update_batch(batch: ImportBatch, rows: list[AddressRow]) -> None:
    """Store the rows as checked again (something changed since the preview)."""
    batch.rows = [row.as_dict() for row in rows]
    db.session.commit()


def discard_batch(batch: ImportBatch) -> None:
    db.session.delete(batch)
    db.session.commit()
