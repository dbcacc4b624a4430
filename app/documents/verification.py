"""A certificate's verification code: a keyed hash of its registration, short enough to type.

The code reveals nothing (not the registration's number, not how many there are) and cannot
be made without the key, yet the server can always compute it again. A later /verify page
can take the event's id and the code (the certificate prints both, e.g. in the link
BASE_URL/events/7/verify?code=ABCD-EFGH-JKLM), compute the code of each checked-in
registration of that event (a few hundred HMACs, well under a millisecond), and answer with
the name, event and dates only on a match; rate-limited like the public forms. No column is
needed. The key is the caller's: SECRET_KEY, or better a CERTIFICATE_KEY that defaults to
it and is kept when SECRET_KEY is rotated (as ADDRESS_HASH_KEY is), since a new key makes
every code printed so far unverifiable.
"""

import base64
import hashlib
import hmac
import re

# 12 base-32 characters: 60 bits. Guessing a valid code for an event with 300 certificates
# takes about 2**60 / 300 tries; the page's rate limit allows a few a minute.
CODE_LENGTH = 12
GROUP = 4
_PURPOSE = b"samverkan attendance certificate v1:"
# Base 32 has no 0, 1 or 8: what a person types for O, I and B is read as those.
_TYPED_ALIKE = str.maketrans({"0": "O", "1": "I", "8": "B"})


def verification_code(registration_id: int, key: str | bytes) -> str:
    """'ABCD-EFGH-JKLM' for this registration under this key."""
    if isinstance(key, str):
        key = key.encode()
    digest = hmac.new(key, _PURPOSE + str(int(registration_id)).encode(), hashlib.sha256).digest()
    compact = base64.b32encode(digest).decode()[:CODE_LENGTH]
    return "-".join(compact[index : index + GROUP] for index in range(0, CODE_LENGTH, GROUP))


def normalise_code(typed: str) -> str:
    """A typed or pasted code in its printed form, or '' when it cannot be one: case, spaces,
    dashes and the look-alike digits do not matter."""
    compact = re.sub(r"[\s\-–]", "", typed or "").upper().translate(_TYPED_ALIKE)
    if not re.fullmatch(rf"[A-Z2-7]{{{CODE_LENGTH}}}", compact):
        return ""
    return "-".join(compact[index : index + GROUP] for index in range(0, CODE_LENGTH, GROUP))


def code_matches(typed: str, registration_id: int, key: str | bytes) -> bool:
    """Whether `typed` is this registration's code, compared in constant time."""
    normal = normalise_code(typed)
    return bool(normal) and hmac.compare_digest(normal, verification_code(registration_id, key))
