"""The second factor: time-based one-time codes (TOTP, RFC 6238) from an authenticator
app, and single-use recovery codes for when the phone is lost.

The shared secret is stored encrypted (Fernet: AES-128-CBC with HMAC-SHA256) under a key
derived from TOTP_ENCRYPTION_KEY or SECRET_KEY, so a copy of the database alone cannot
make codes; it is shown once, while setting up, and never again. A code is accepted in
its 30-second step or the one before or after (clocks drift), and never twice: the last
step used is kept. Recovery codes carry 60 random bits and are stored as SHA-256 hashes.
"""

import base64
import hashlib
import hmac
import secrets

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import delete, select

from app.extensions import db
from app.models import RecoveryCode, User
from app.models.types import utcnow
from app.services import audit
from app.services.accounts import security_notices, sessions

RECOVERY_CODES = 10
# 12 characters of this alphabet carry 60 bits; no 0/O or 1/l/I to misread.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 12
ISSUER = "Samverkan"


def _fernet() -> Fernet:
    secret = current_app.config.get("TOTP_ENCRYPTION_KEY") or current_app.secret_key
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"samverkan totp secret").derive(
        secret.encode() if isinstance(secret, str) else secret
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _secret(user: User) -> str | None:
    if not user.totp_secret:
        return None
    try:
        return _fernet().decrypt(user.totp_secret.encode()).decode()
    except InvalidToken:
        # The key changed: the user sets up again (an admin resets, or a recovery code).
        current_app.logger.error("The second-factor secret of user %s cannot be decrypted", user.id)
        return None


def pending_secret(user: User) -> str:
    """The secret being set up (made now if there is none yet); commits. Only for a user
    without a confirmed second factor: a confirmed secret is never shown again."""
    if user.two_factor_enabled:
        raise ValueError("the second factor is already set up")
    secret = _secret(user)
    if secret is None:
        secret = pyotp.random_base32()  # 160 bits, as RFC 4226 recommends
        user.totp_secret = _fernet().encrypt(secret.encode()).decode()
        user.totp_last_step = None
        db.session.commit()
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The otpauth URI as a QR code drawn here, for an <img>: an SVG without inline styles
    (the Content-Security-Policy allows data: images but no inline styles)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4, dark="#000", light="#fff")


def _accept_code(user: User, secret: str, code: str) -> bool:
    """Whether `code` is current and unused; marks its step used."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(utcnow())
    for step in (now_step - 1, now_step, now_step + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False  # replayed (or older than one already used)
            user.totp_last_step = step
            return True
    return False


def confirm(user: User, code: str) -> list[str] | None:
    """Finish setting up with a first code from the app; returns the new recovery codes
    (shown once) or None when the code is wrong. Commits."""
    secret = _secret(user)
    if user.two_factor_enabled or secret is None or not _accept_code(user, secret, code):
        return None
    user.totp_confirmed_at = utcnow()
    codes = _new_recovery_codes(user)
    audit.record(user, "account.two_factor_enabled", user_id=user.id)
    security_notices.notify(user, "two_factor_enabled")
    db.session.commit()
    return codes


def verify(user: User, code: str) -> bool:
    """Check a login code; commits the step used, so it cannot be used again."""
    secret = _secret(user)
    if not user.two_factor_enabled or secret is None:
        return False
    accepted = _accept_code(user, secret, code)
    if accepted:
        db.session.commit()
    return accepted


def _hash_recovery(user: User, code: str) -> str:
    normalised = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(f"{user.id}:{normalised}".encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4)))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash_recovery(user, raw)))
    return codes


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with new ones (shown once); commits."""
    codes = _new_recovery_codes(user)
    audit.record(user, "account.recovery_codes_renewed", user_id=user.id)
    security_notices.notify(user, "recovery_codes_renewed")
    db.session.commit()
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Log in with a recovery code, which is then used up; commits."""
    if not user.two_factor_enabled or len(code) > 40:
        return False
    found = db.session.scalar(
        select(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_recovery(user, code),
            RecoveryCode.used_at.is_(None),
        )
        .with_for_update()
    )
    if found is None:
        return False
    found.used_at = utcnow()
    audit.record(user, "account.recovery_code_used", user_id=user.id, left=recovery_codes_left(user) - 1)
    db.session.commit()
    return True


def recovery_codes_left(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        ).all()
    )


def remove(user: User, *, by: User) -> None:
    """Turn the second factor off (the user themselves, or an admin resetting it after a
    lost phone); the user's sessions end when an admin does it. Commits."""
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    if by.id != user.id:
        sessions.end_all(user)
        audit.record(by, "account.two_factor_reset", user_id=user.id)
        security_notices.notify(user, "two_factor_reset")
    else:
        audit.record(by, "account.two_factor_disabled", user_id=user.id)
        security_notices.notify(user, "two_factor_disabled")
    db.session.commit()
