"""What the health check reports: whether the database answers."""

from sqlalchemy import text

from app.extensions import db


def database_problem() -> str | None:
    """None when the database answers a trivial query, else the kind of error that stopped it."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any failure to reach the database is "unavailable"
        db.session.rollback()
        return type(error).__name__
    return None
