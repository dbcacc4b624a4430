"""Personal link tokens: the only key to a registration, an invitation, an unsubscribe
link, a survey link or a visit request's status page."""

import base64
import re
import secrets

# secrets.token_urlsafe(32): 256 random bits as 43 characters of URL-safe base64.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
# A token inside text (a mail body, a log line): 43 such characters, not part of a longer run.
TOKEN_IN_TEXT = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")


def new_token() -> str:
    """256 random bits: unguessable, so a link opens only what it was made for."""
    return secrets.token_urlsafe(32)


def looks_like_token(value: str | None) -> bool:
    """Whether a link's token is well-formed, checked before any lookup."""
    return bool(TOKEN_PATTERN.fullmatch(value or ""))


def new_certificate_code() -> str:
    """'ABCD-EFGH-JKLM': 60 random bits in base 32, short enough to type from a printed
    certificate (app.documents.normalise_code reads it back however it was typed)."""
    compact = base64.b32encode(secrets.token_bytes(10)).decode()[:12]
    return "-".join(compact[index : index + 4] for index in range(0, 12, 4))
