"""What every extra measurement gets from the runner, and how it says "not yet"."""

from dataclasses import dataclass
from typing import Any

from flask import Flask

from bench.pages import Sample


@dataclass
class BenchContext:
    app: Flask  # the app in the runner's process: its URL map, and the database for set-up
    base: str  # the gunicorn server's address, http://127.0.0.1:PORT
    database_url: str
    sample: Sample
    scale: int
    uncached_base: str | None = None  # the same app with PAGE_CACHE_SECONDS=0: renders every page
    server: Any = None  # the bench.server.Server at `base`, for its CPU time
    redis_url: str | None = None  # the servers' REDIS_URL, when they have one


def not_available(reason: str) -> dict:
    """The result of a measurement whose feature is not in the app yet."""
    return {"status": "not available yet", "reason": reason}


def failed(error: Exception) -> dict:
    """The feature is there but the measurement could not run: say why, keep going."""
    return {"status": "failed", "reason": f"{type(error).__name__}: {error}"[:500]}


def remove_event(event_id: int) -> None:
    """Delete an event a measurement made, with what cascades from it; never fail the run."""
    from sqlalchemy import delete
    from sqlalchemy.exc import SQLAlchemyError

    from app.extensions import db
    from app.models import Event

    try:
        db.session.execute(delete(Event).where(Event.id == event_id))
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        print(f"  (could not delete bench event {event_id}: {error})")
