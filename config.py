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


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs that name no driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    """Settings shared by every environment; each can be set from the environment."""

    TESTING = False

    def __init__(self) -> None:
        env = os.environ
        self.SECRET_KEY = env.get("SECRET_KEY", "dev-only-not-secret")
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            env.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'samverkan.db'}")
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.BABEL_DEFAULT_LOCALE = "sv"
        self.BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
        self.LANGUAGES = ("sv", "en")
        self.BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
        self.RATELIMIT_STORAGE_URI = env.get("REDIS_URL", "memory://")
        self.RATELIMIT_HEADERS_ENABLED = True
        self.LOGIN_RATE_LIMIT = env.get("LOGIN_RATE_LIMIT", "10 per minute")
        self.PUBLIC_FORM_RATE_LIMIT = env.get("PUBLIC_FORM_RATE_LIMIT", "30 per minute; 300 per hour")
        self.LOGIN_ACCOUNT_RATE_LIMIT = env.get("LOGIN_ACCOUNT_RATE_LIMIT", "5 per 15 minutes")
        # Visit requests sent from one address (refused input does not count).
        self.VISIT_REQUEST_RATE_LIMIT = env.get("VISIT_REQUEST_RATE_LIMIT", "5 per hour")
        # Number of proxies in front of the app whose X-Forwarded-* headers to trust.
        self.PROXY_HOPS = int(env.get("PROXY_HOPS", "0"))
        # The Origin (or Referer) of a POST is checked by app.security.require_same_origin,
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
        # The domain part of calendar UIDs: keep it fixed once calendars have been shared.
        self.CALENDAR_UID_DOMAIN = env.get("CALENDAR_UID_DOMAIN", "samverkan.localhost")


class DevelopmentConfig(Config):
    """`make run`: SQLite in instance/, debug off unless FLASK_DEBUG says otherwise."""


class TestingConfig(Config):
    TESTING = True

    def __init__(self) -> None:
        super().__init__()
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            os.environ.get("TEST_DATABASE_URL", "sqlite://")
        )
        # Tests that deliver mail point this at their own SMTP server on loopback.
        self.MAIL_SERVER = ""
        self.BASE_URL = "http://localhost"
        self.RATELIMIT_ENABLED = False
        self.SERVER_NAME = None


class ProductionConfig(Config):
    """Behind gunicorn and a proxy; refuses to start without a secret and a database."""

    REQUIRED = ("SECRET_KEY", "DATABASE_URL")

    def __init__(self) -> None:
        missing = [name for name in self.REQUIRED if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                "Production configuration needs these environment variables: "
                + ", ".join(missing)
            )
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
