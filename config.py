"""Configuration classes, read from the environment when the app is created.

Nothing here reads the environment at import time: `create_app` instantiates the
class, so tests and processes can set variables before the app exists.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def env_flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _number(env, name: str, default: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise RuntimeError(f"{name} must be a whole number, not {value!r}")
    return int(value)


def database_url_from_parts(env) -> str | None:
    """A PostgreSQL URL from DATABASE_HOST, _PORT, _NAME, _USER and _PASSWORD, each part
    escaped, so a password with @, /, :, # or % cannot break it; None without DATABASE_HOST."""
    from sqlalchemy.engine import URL

    host = env.get("DATABASE_HOST", "").strip()
    if not host:
        return None
    port = env.get("DATABASE_PORT", "").strip()
    if port and not port.isdigit():
        raise RuntimeError(f"DATABASE_PORT must be a whole number, not {port!r}")
    url = URL.create(
        "postgresql+psycopg",
        username=env.get("DATABASE_USER") or None,
        password=env.get("DATABASE_PASSWORD") or None,
        host=host,
        port=int(port) if port else None,
        database=env.get("DATABASE_NAME") or None,
    )
    return url.render_as_string(hide_password=False)


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs that name no driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"
# Production refuses a key shorter than this, or one that looks copied from an example.
SECRET_KEY_MIN_LENGTH = 32
PLACEHOLDER_SECRET_WORDS = ("change", "example", "secret", "placeholder", "replace", "dev-only")


def secret_key_problem(key: str) -> str | None:
    """Why `key` cannot sign production sessions, or None when it can."""
    folded = key.strip().lower()
    if len(folded) < SECRET_KEY_MIN_LENGTH:
        return f"is {len(folded)} characters long; it must have at least {SECRET_KEY_MIN_LENGTH}"
    if any(word in folded for word in PLACEHOLDER_SECRET_WORDS) or len(set(folded)) < 8:
        return "looks like a placeholder, not a random value"
    return None


class Config:
    """Settings shared by every environment; each can be set from the environment."""

    TESTING = False

    def __init__(self) -> None:
        env = os.environ
        self.SECRET_KEY = env.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            env.get("DATABASE_URL")
            or database_url_from_parts(env)
            or f"sqlite:///{BASE_DIR / 'instance' / 'samverkan.db'}"
        )
        # The pool's size and its liveness check are app/database/pool.py's.
        self.SQLALCHEMY_ENGINE_OPTIONS = {}
        # Longest wait for a lock another transaction holds (an event's seats while many
        # register): then the request answers "busy, try again" rather than holding a
        # worker. PostgreSQL counts it per lock, and waiters for a row queue in two steps,
        # so a request waits at most twice this: 4 s. And the longest any one statement may
        # run (PostgreSQL), well under gunicorn's 30 s timeout, so a worker answers rather
        # than being killed. 0: no limit.
        self.DATABASE_LOCK_TIMEOUT_MS = _number(env, "DATABASE_LOCK_TIMEOUT_MS", 2000)
        self.DATABASE_STATEMENT_TIMEOUT_MS = _number(env, "DATABASE_STATEMENT_TIMEOUT_MS", 10000)
        # PostgreSQL connections each process keeps: one per gunicorn thread (app/database/pool.py).
        self.DATABASE_POOL_SIZE = _number(env, "DATABASE_POOL_SIZE", _number(env, "GUNICORN_THREADS", 8))
        self.BABEL_DEFAULT_LOCALE = "sv"
        self.BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
        self.LANGUAGES = ("sv", "en")
        self.BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
        # Shared by every app server: the rate-limit counters and the kept public pages.
        self.REDIS_URL = env.get("REDIS_URL") or None
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.RATELIMIT_HEADERS_ENABLED = True
        # Flask-Limiter would put its window's reset into Retry-After on every answer of a
        # limited form, a 200 as well, and over the "busy, try again in 5 s" of app/web/errors.py.
        self.RATELIMIT_HEADER_RETRY_AFTER = "X-RateLimit-Retry-After"
        self.LOGIN_RATE_LIMIT = env.get("LOGIN_RATE_LIMIT", "10 per minute")
        self.PUBLIC_FORM_RATE_LIMIT = env.get("PUBLIC_FORM_RATE_LIMIT", "30 per minute; 300 per hour")
        # Failed logins, see app/auth/throttle.py: per account and address (or known device),
        # with a wait that grows; per address over all accounts; and per account from
        # addresses and devices that never logged in to it.
        self.LOGIN_FAILURE_LIMIT = env.get("LOGIN_FAILURE_LIMIT", "5 per 15 minutes; 10 per hour; 20 per day")
        self.LOGIN_ADDRESS_FAILURE_LIMIT = env.get("LOGIN_ADDRESS_FAILURE_LIMIT", "30 per hour")
        self.LOGIN_ACCOUNT_RATE_LIMIT = env.get("LOGIN_ACCOUNT_RATE_LIMIT", "20 per hour")
        # Wrong second-factor codes per account (a code has a million values).
        self.TWO_FACTOR_FAILURE_LIMIT = env.get("TWO_FACTOR_FAILURE_LIMIT", "5 per 15 minutes; 20 per day")
        # "Forgot password" mails per address asked for, and requests per visitor address.
        self.PASSWORD_RESET_RATE_LIMIT = env.get("PASSWORD_RESET_RATE_LIMIT", "3 per hour")
        # A login session ends after this long without a request, and this long after login.
        self.SESSION_IDLE_MINUTES = _number(env, "SESSION_IDLE_MINUTES", 30)
        self.SESSION_MAX_HOURS = _number(env, "SESSION_MAX_HOURS", 12)
        # A browser that logged in to an account stays known to it this long (throttling).
        self.KNOWN_DEVICE_DAYS = _number(env, "KNOWN_DEVICE_DAYS", 180)
        self.PASSWORD_RESET_MINUTES = _number(env, "PASSWORD_RESET_MINUTES", 60)
        # werkzeug.security method for new password hashes.
        self.PASSWORD_HASH_METHOD = "scrypt"
        # Encrypts second-factor secrets at rest; derived from SECRET_KEY when not set. Keep
        # it when SECRET_KEY changes (or everyone must set up their authenticator again).
        self.TOTP_ENCRYPTION_KEY = env.get("TOTP_ENCRYPTION_KEY", "")
        # Visit requests sent from one address (refused input does not count).
        self.VISIT_REQUEST_RATE_LIMIT = env.get("VISIT_REQUEST_RATE_LIMIT", "5 per hour")
        # Certificate checks (/verify) from one address: a person checks a few; a script
        # guessing codes gets nowhere.
        self.CERTIFICATE_VERIFY_RATE_LIMIT = env.get("CERTIFICATE_VERIFY_RATE_LIMIT", "20 per minute; 200 per day")
        # Number of proxies in front of the app whose X-Forwarded-* headers to trust.
        self.PROXY_HOPS = int(env.get("PROXY_HOPS", "0"))
        # The Origin (or Referer) of a POST is checked by app.web.security.require_same_origin,
        # which accepts a browser that sends Origin but strips the Referer.
        self.WTF_CSRF_SSL_STRICT = False
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.API_PAGE_SIZE = 50
        # Uploads (address lists) and pasted text: 4 MB holds 20,000 rows, the import's limit.
        self.MAX_CONTENT_LENGTH = 4 * 1024 * 1024
        self.MAX_FORM_MEMORY_SIZE = self.MAX_CONTENT_LENGTH
        self.ORGANISATION_NAME = env.get("ORGANISATION_NAME", "Valideringsdelegationen")
        self.MAIL_DEFAULT_SENDER = env.get("MAIL_DEFAULT_SENDER", "Samverkan <noreply@samverkan.localhost>")
        # A mailbox a person reads, offered beside the one-click link in invitations'
        # List-Unsubscribe header; empty: the link alone.
        self.MAIL_UNSUBSCRIBE_ADDRESS = env.get("MAIL_UNSUBSCRIBE_ADDRESS", "")
        # No MAIL_SERVER (the `make run` default): mail is kept for the "Sent mail" page, not sent.
        self.MAIL_SERVER = env.get("MAIL_SERVER", "")
        self.MAIL_USE_SSL = env_flag(env.get("MAIL_USE_SSL"))
        self.MAIL_USE_TLS = env_flag(env.get("MAIL_USE_TLS"))
        self.MAIL_PORT = _number(env, "MAIL_PORT", 465 if self.MAIL_USE_SSL else 587 if self.MAIL_USE_TLS else 25)
        self.MAIL_USERNAME = env.get("MAIL_USERNAME", "")
        self.MAIL_PASSWORD = env.get("MAIL_PASSWORD", "")
        self.MAIL_TIMEOUT = _number(env, "MAIL_TIMEOUT", 30)
        # Links in emails (and other pages made outside a request) start with this address.
        self.BASE_URL = env.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        # Stored with each consent; change it when the privacy notice changes.
        self.PRIVACY_NOTICE_VERSION = env.get("PRIVACY_NOTICE_VERSION", "2026-11")
        # Months a registration is kept after its event (stated in the privacy notice).
        self.REGISTRATION_RETENTION_MONTHS = _number(env, "REGISTRATION_RETENTION_MONTHS", 12)
        # Fewest answers before an anonymous survey's free texts and rows, or a filtered
        # group's results, are shown: fewer could point to a person.
        self.FEEDBACK_MIN_GROUP = _number(env, "FEEDBACK_MIN_GROUP", 5)
        # The other retention periods /privacy states and `flask purge-personal-data` enforces.
        # Visit requests: months after the visit took place or the request was last handled.
        self.VISIT_RETENTION_MONTHS = _number(env, "VISIT_RETENTION_MONTHS", 24)
        # Mail not tied to an event (visit requests, test mail): days after it was queued.
        self.MAIL_RETENTION_DAYS = _number(env, "MAIL_RETENTION_DAYS", 90)
        # Address-book entries: months after they were last added, changed or invited.
        self.CONTACT_RETENTION_MONTHS = _number(env, "CONTACT_RETENTION_MONTHS", 36)
        # Days an unsubscribed contact stays listed (and can subscribe again by its link)
        # before only the keyed hash of its address remains.
        self.UNSUBSCRIBED_CONTACT_DAYS = _number(env, "UNSUBSCRIBED_CONTACT_DAYS", 30)
        # Hours an unconfirmed address-list preview is kept.
        self.IMPORT_PREVIEW_HOURS = _number(env, "IMPORT_PREVIEW_HOURS", 2)
        # Months the log of organisers' actions is kept.
        self.AUDIT_RETENTION_MONTHS = _number(env, "AUDIT_RETENTION_MONTHS", 24)
        # The key of the hashes that keep unsubscribed addresses from being invited again after
        # the addresses are erased. Changing it forgets them all, so it is separate from
        # SECRET_KEY (which it defaults to) and must be kept when SECRET_KEY is rotated.
        self.ADDRESS_HASH_KEY = env.get("ADDRESS_HASH_KEY") or self.SECRET_KEY
        # Public pages are kept for anonymous visitors until the data they show changes, and
        # at most this long (they also depend on the clock); 0 turns the cache off.
        self.PAGE_CACHE_SECONDS = _number(env, "PAGE_CACHE_SECONDS", 60)
        self.PAGE_CACHE_ENTRIES = _number(env, "PAGE_CACHE_ENTRIES", 2000)
        self.PAGE_CACHE_BYTES = _number(env, "PAGE_CACHE_MB", 64) * 2**20
        # With REDIS_URL, kept pages are shared under keys that start with this (one per site
        # when several share a Redis); see app/cache/shared_pages.py.
        self.PAGE_CACHE_REDIS_PREFIX = env.get("PAGE_CACHE_REDIS_PREFIX", "samverkan:page:")
        # Days an event stays in the calendar feeds after it ends (everything ahead is in them).
        self.CALENDAR_FEED_PAST_DAYS = _number(env, "CALENDAR_FEED_PAST_DAYS", 31)
        # The domain part of calendar UIDs: keep it fixed once calendars have been shared.
        self.CALENDAR_UID_DOMAIN = env.get("CALENDAR_UID_DOMAIN", "samverkan.localhost")
        # The app's own log lines (standard error) from this level up: DEBUG, INFO, WARNING, ERROR.
        self.LOG_LEVEL = env.get("LOG_LEVEL", "INFO").strip().upper()


class DevelopmentConfig(Config):
    """`make run`: SQLite in instance/, debug off unless FLASK_DEBUG says otherwise."""


class TestingConfig(Config):
    TESTING = True

    def __init__(self) -> None:
        super().__init__()
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
        # Tests that deliver mail point this at their own SMTP server on loopback.
        self.MAIL_SERVER = ""
        self.BASE_URL = "http://localhost"
        self.RATELIMIT_ENABLED = False
        # Each test starts from the same content versions, so pages kept in a Redis by an
        # earlier test could be served again: tests that share pages set their own Redis.
        self.REDIS_URL = None
        self.SERVER_NAME = None
        # An unexpected error gives the logged 500 page, as in production, rather than reaching the test.
        self.PROPAGATE_EXCEPTIONS = False
        # The suite makes hundreds of throwaway accounts: a cheap hash (scrypt takes 0.1 s
        # each). Production keeps scrypt; tests/test_auth.py checks it.
        self.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


class ProductionConfig(Config):
    """Behind gunicorn and a proxy; refuses to start without a secret and a database."""

    def __init__(self) -> None:
        env = os.environ
        make_a_key = "python3 -c 'import secrets; print(secrets.token_hex(32))'"
        missing = [] if env.get("SECRET_KEY") else [f"SECRET_KEY (make one with: {make_a_key})"]
        if not env.get("DATABASE_URL") and not env.get("DATABASE_HOST"):
            missing.append("DATABASE_URL (or DATABASE_HOST, DATABASE_NAME, DATABASE_USER, DATABASE_PASSWORD)")
        if missing:
            raise RuntimeError("Production configuration needs these environment variables: " + ", ".join(missing))
        problem = secret_key_problem(env["SECRET_KEY"])
        if problem:
            raise RuntimeError(f"SECRET_KEY {problem}. Set it to a random value made with: {make_a_key}")
        super().__init__()
        if "PROXY_HOPS" not in os.environ:
            self.PROXY_HOPS = 1  # production runs behind a TLS-terminating proxy
        self.SESSION_COOKIE_SECURE = True
        self.REMEMBER_COOKIE_SECURE = True
        self.PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The config class named by SAMVERKAN_CONFIG (development by default)."""
    name = os.environ.get("SAMVERKAN_CONFIG", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"SAMVERKAN_CONFIG must be one of {', '.join(CONFIGS)}") from None
