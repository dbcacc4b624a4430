"""Throttling password and code guessing without letting a stranger lock anyone out.

Locking an account after N failures (what this app did) lets anyone who knows an
organiser's address keep them out. OWASP's answer, "Slow down online guessing attacks
with device cookies" (cited by ASVS 2.2.1), is followed here, with Flask-Limiter's
storage (Redis when REDIS_URL is set, so every app server counts together):

- A browser that has logged in to an account gets a signed "known device" cookie for
  it. Failures from a known device count against that device only (LOGIN_FAILURE_LIMIT);
  guesses made elsewhere never lock it, so an organiser's own browser keeps working.
- Failures from anywhere else count per account and address, with the same limit:
  the wait grows with the failures (15 minutes, then an hour, then a day).
- Failures per address over all accounts (LOGIN_ADDRESS_FAILURE_LIMIT) stop one
  address trying a password against many accounts.
- Failures per account from addresses and devices it does not know
  (LOGIN_ACCOUNT_RATE_LIMIT) cap guesses spread over many addresses. Until the
  window passes, the account can be reached from its known devices, or from a new
  one through the mailed password reset, which makes that browser known.
- Every login POST per address (LOGIN_RATE_LIMIT, in the view) stops plain flooding.

So five failures from five addresses do not stop the right password from a sixth; ten
failures from one address are stopped; and the failures counted are only guesses: a
successful login counts nothing. Second-factor codes have their own limit per account
(TWO_FACTOR_FAILURE_LIMIT). The limits hold whether or not the address has an account,
so the answers reveal nothing about which addresses do.
"""

import hashlib
import math
import secrets
import time
from dataclasses import dataclass

from flask import Response, current_app, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import RateLimitItem, parse_many

from app.extensions import limiter

DEVICE_COOKIE = "known_device"
# The newest accounts a browser is known to; an office computer shared by a few people.
DEVICE_ACCOUNTS = 5


def account_key(email: str) -> str:
    """The account an attempt is for, as typed (known address or not), never stored in clear."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Refusal:
    """An attempt refused before the password was checked, and when to try again."""

    retry_after: int
    account_locked: bool


def _limits(setting: str) -> list[RateLimitItem]:
    return parse_many(current_app.config[setting])


def _counters(account: str, device: str | None) -> list[tuple[str, tuple[str, ...], bool]]:
    """(limit setting, identifiers, counts only unknown devices) for one attempt."""
    address = get_remote_address()
    per_client = ("device", account, device) if device else ("address", account, address)
    counters = [
        ("LOGIN_FAILURE_LIMIT", ("login-fail", *per_client), False),
        ("LOGIN_ADDRESS_FAILURE_LIMIT", ("login-fail-address", address), False),
    ]
    if not device:
        counters.append(("LOGIN_ACCOUNT_RATE_LIMIT", ("login-fail-account", account), True))
    return counters


def check_login(email: str) -> Refusal | None:
    """Whether a login attempt for `email` from this request may be checked at all."""
    if not limiter.enabled:
        return None
    account = account_key(email)
    device = known_device(account)
    for setting, identifiers, per_account in _counters(account, device):
        for item in _limits(setting):
            if not limiter.limiter.test(item, *identifiers):
                return Refusal(_retry_after(item, identifiers), per_account)
    return None


def login_failed(email: str) -> None:
    """Count a wrong password (or an unknown address) against every limit it concerns."""
    if not limiter.enabled:
        return
    account = account_key(email)
    device = known_device(account)
    for setting, identifiers, _ in _counters(account, device):
        for item in _limits(setting):
            limiter.limiter.hit(item, *identifiers)


def check_code(user_id: int) -> int | None:
    """Seconds to wait before another second-factor code may be tried; None when it may."""
    if not limiter.enabled:
        return None
    for item in _limits("TWO_FACTOR_FAILURE_LIMIT"):
        if not limiter.limiter.test(item, "two-factor-fail", str(user_id)):
            return _retry_after(item, ("two-factor-fail", str(user_id)))
    return None


def code_failed(user_id: int) -> None:
    if limiter.enabled:
        for item in _limits("TWO_FACTOR_FAILURE_LIMIT"):
            limiter.limiter.hit(item, "two-factor-fail", str(user_id))


def _retry_after(item: RateLimitItem, identifiers: tuple[str, ...]) -> int:
    reset_at, _ = limiter.limiter.get_window_stats(item, *identifiers)
    return max(1, math.ceil(reset_at - time.time()))


# Known devices: a signed cookie naming the accounts this browser has logged in to.


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="known-device")


def _device_cookie() -> dict | None:
    value = request.cookies.get(DEVICE_COOKIE)
    if not value:
        return None
    max_age = current_app.config["KNOWN_DEVICE_DAYS"] * 86400
    try:
        data = _serializer().loads(value, max_age=max_age)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), str) or not isinstance(data.get("a"), list):
        return None
    return data


def known_device(account: str) -> str | None:
    """This browser's device id when it has logged in to `account` before; else None."""
    data = _device_cookie()
    if data is None or account not in data["a"]:
        return None
    return data["d"]


def remember_device(response: Response, email: str) -> None:
    """Make this browser known to the account (after a login, or a reset by mail)."""
    data = _device_cookie() or {"d": secrets.token_urlsafe(16), "a": []}
    account = account_key(email)
    accounts = [a for a in data["a"] if a != account][-(DEVICE_ACCOUNTS - 1) :] + [account]
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps({"d": data["d"], "a": accounts}),
        max_age=current_app.config["KNOWN_DEVICE_DAYS"] * 86400,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False) or request.is_secure,
        httponly=True,
        samesite="Lax",
    )
