"""An event's agenda: timed items with rooms and speakers."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class Speaker(db.Model):
    """A person who speaks at events; one record is reused across items and events."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_speaker_name", "name"),)

    def __repr__(self) -> str:
        return f"<Speaker {self.id} {self.name!r}>"


class AgendaItem(db.Model):
    """One entry of the programme: a talk, a panel, a break, a parallel session."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Sanitised HTML rendered from `description` when it is saved, as for events.
    description_html: Mapped[str] = mapped_column(Text, default="")
    # Room or track; items in different rooms at the same time run in parallel.
    room: Mapped[str] = mapped_column(String(100), default="")
    # Orders items that start at the same time (parallel sessions, left to right).
    position: Mapped[int] = mapped_column(default=0)
    # Calendar SEQUENCE of the item's own .ics: raised when its time or room changes.
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped["Event"] = relationship(back_populates="agenda_items")  # noqa: F821
    speaker_links: Mapped[list["AgendaItemSpeaker"]] = relationship(
        back_populates="item",
        order_by="AgendaItemSpeaker.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (Index("ix_agenda_item_event_id_starts_at", "event_id", "starts_at"),)

    @property
    def speakers(self) -> list[Speaker]:
        return [link.speaker for link in self.speaker_links]

    @property
    def duration(self):
        return self.ends_at - self.starts_at

    def __repr__(self) -> str:
        return f"<AgendaItem {self.id} {self.title!r}>"


class AgendaItemSpeaker(db.Model):
    """A speaker on an item, in the order the organiser listed them."""

    __tablename__ = "agenda_item_speaker"

    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"), primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speaker.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)

    item: Mapped[AgendaItem] = relationship(back_populates="speaker_links")
    speaker: Mapped[Speaker] = relationship()
