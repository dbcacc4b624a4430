"""An uploaded or pasted address list waiting for the organiser's confirmation.

The preview is kept here, not in a worker's memory or the session: any app server
can show and confirm it. Batches are short-lived and deleted once used.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.event import str_enum
from app.models.types import UTCDateTime, utcnow


class ImportPurpose(StrEnum):
    INVITATIONS = "invitations"
    CONTACTS = "contacts"


class ImportBatch(db.Model):
    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[ImportPurpose] = mapped_column(str_enum(ImportPurpose))
    # The event invited to (none for an address-book import).
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    # Only the organiser who made the batch can see or confirm it.
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The file's name, or empty for pasted text.
    source_name: Mapped[str] = mapped_column(String(200), default="")
    # Each row as parsed, with its problem (if any): a list of dicts.
    rows: Mapped[list] = mapped_column(JSON, default=list)
    # Choices made with the upload, such as the language of the invitations.
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
