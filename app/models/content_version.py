"""Shared numbers that go up whenever something the public pages show changes."""

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class ContentVersion(db.Model):
    """Two rows (1: what events show, 2: who takes part), raised in the same transaction
    as each change; see app/cache/content_version.py. Kept pages are served only while the
    versions they depend on are unchanged."""

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
