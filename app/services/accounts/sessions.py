"""Login sessions kept on the server, so that they can be ended there.

The browser's cookie holds only a random token (in Flask's signed session); the
database holds its SHA-256. A session ends when its row is deleted (logout, password
change, deactivation, "sign out everywhere", the user ending it from another device)
or when it is found idle longer than SESSION_IDLE_MINUTES or older than
SESSION_MAX_HOURS. A copied cookie is worth nothing once its session has ended.
"""

import hashlib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models import AccountSession, Setting, User
from app.models.tokens import new_token
from app.models.types import utcnow
from app.services import audit, settings

# Writing "last seen" on every request would make every organiser page a write;
# once a minute is precise enough for a 30-minute idle timeout.
LAST_SEEN_EVERY = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _idle_limit() -> timedelta:
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def _age_limit() -> timedelta:
    return timedelta(hours=current_app.config["SESSION_MAX_HOURS"])


def start(user: User, *, user_agent: str = "", ip_address: str = "") -> str:
    """Open a session for `user`; returns the token for the cookie. Commits."""
    token = new_token()
    now = utcnow()
    db.session.add(
        AccountSession(
            token_hash=hash_token(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            user_agent=describe_user_agent(user_agent),
            ip_address=ip_address[:45],
        )
    )
    # The user's expired sessions go now, so the list of their devices stays short.
    db.session.execute(
        delete(AccountSession)
        .where(
            AccountSession.user_id == user.id,
            _expired(now),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    # The session row itself records the login (shown under "My account"); the app log
    # keeps it after the row has gone.
    current_app.logger.info("User %s logged in from %s", user.id, ip_address)
    return token


def _expired(now: datetime):
    return (AccountSession.last_seen_at < now - _idle_limit()) | (AccountSession.created_at < now - _age_limit())


def find(token: str) -> AccountSession | None:
    """The live session with this token, its last-seen time brought up to date; else None.

    Commits when it writes last-seen, so it must run before a view changes anything
    (app.auth.session loads the user at the start of the request).
    """
    if not token or len(token) > 100:
        return None
    # One query for the session, its user and whether a second factor is required, as
    # every page of a logged-in user needs all three.
    required = select(Setting.value).where(Setting.key == settings.REQUIRE_TWO_FACTOR).scalar_subquery()
    row = db.session.execute(
        select(AccountSession, required)
        .join(AccountSession.user)
        .options(contains_eager(AccountSession.user))
        .where(AccountSession.token_hash == hash_token(token))
    ).first()
    if row is None:
        return None
    account_session, required_value = row
    account_session.two_factor_required = (
        settings.DEFAULTS[settings.REQUIRE_TWO_FACTOR] if required_value is None else bool(required_value)
    )
    now = utcnow()
    if account_session.last_seen_at < now - _idle_limit() or account_session.created_at < now - _age_limit():
        db.session.delete(account_session)
        db.session.commit()
        return None
    if not account_session.user.active:
        return None
    if now - account_session.last_seen_at >= LAST_SEEN_EVERY:
        db.session.execute(
            update(AccountSession)
            .where(AccountSession.id == account_session.id)
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        # Known to be saved: assigning it would mark it changed and write it again.
        set_committed_value(account_session, "last_seen_at", now)
    return account_session


def end(token: str) -> None:
    """End the session with this token (logout)."""
    db.session.execute(delete(AccountSession).where(AccountSession.token_hash == hash_token(token)))
    db.session.commit()


def end_all(user: User, *, keep_token: str | None = None) -> int:
    """End the user's sessions (all, or all but the one with `keep_token`); the caller commits.
    Returns how many ended."""
    statement = delete(AccountSession).where(AccountSession.user_id == user.id)
    if keep_token:
        statement = statement.where(AccountSession.token_hash != hash_token(keep_token))
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount


def end_one(user: User, session_id: int, *, keep_token: str) -> bool:
    """The user logs out one of their other devices; False when there is no such session."""
    ended = db.session.execute(
        delete(AccountSession).where(
            AccountSession.id == session_id,
            AccountSession.user_id == user.id,
            AccountSession.token_hash != hash_token(keep_token),
        )
    ).rowcount
    if ended:
        audit.record(user, "account.session_ended", user_id=user.id)
    db.session.commit()
    return bool(ended)


def end_others(user: User, *, keep_token: str) -> int:
    """The user logs out everywhere but here; returns how many sessions ended. Commits."""
    ended = end_all(user, keep_token=keep_token)
    audit.record(user, "account.sessions_ended", user_id=user.id, sessions_ended=ended)
    db.session.commit()
    return ended


def active_sessions(user: User) -> list[AccountSession]:
    """The user's live sessions, most recently used first."""
    now = utcnow()
    return list(
        db.session.scalars(
            select(AccountSession)
            .where(AccountSession.user_id == user.id, ~_expired(now))
            .order_by(AccountSession.last_seen_at.desc(), AccountSession.id.desc())
        )
    )


def purge_expired() -> int:
    """Delete every ended session (they hold an IP address and a browser name); commits."""
    count = db.session.execute(delete(AccountSession).where(_expired(utcnow()))).rowcount
    db.session.commit()
    return count


BROWSERS = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (
    ("Windows", "Windows"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def describe_user_agent(user_agent: str) -> str:
    """ "Firefox on Windows": enough to tell one's devices apart, less than the full string."""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in SYSTEMS if mark in user_agent), "")
    if browser and system:
        return f"{browser} / {system}"
    return browser or system or user_agent[:60]
