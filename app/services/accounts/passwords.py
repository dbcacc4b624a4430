"""What makes a password acceptable (NIST SP 800-63B, OWASP ASVS 2.1).

At least 12 characters, at most 128, any characters (spaces and emoji too), no rules
about character classes. Refused: passwords that are guessable in fewer than 10^8
attempts by zxcvbn's estimate, which knows the 30,000 most common passwords of a corpus
of 10 million leaked ones (Xato), English words, names and surnames, repetition
("aaaa", "abcabc"), sequences ("1234", "abcd"), keyboard patterns ("qwerty") and dates;
and passwords that are mostly the user's own name or email address. Everything runs
offline: the lists ship inside the zxcvbn package (MIT licence).
"""

import re
from functools import cache

from flask_babel import gettext as _
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128
# zxcvbn's score 3: "safely unguessable: moderate protection from offline slow-hash scenario".
MIN_SCORE = 3
# zxcvbn's own limit (its matching grows with the square of the length); a password
# longer than this is not made weaker by what comes after.
ANALYSED_LENGTH = 72


def problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why this password is refused, in the user's language; None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("The password must have at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("The password can have at most %(n)d characters.", n=MAX_LENGTH)
    if password.strip().lower() in _common_passwords():
        return _common()
    analysed = password[:ANALYSED_LENGTH]
    result = zxcvbn(analysed, user_inputs=_personal_words(email, name))
    personal = sum(len(m["token"]) for m in result["sequence"] if m.get("dictionary_name") == "user_inputs")
    if personal * 3 >= len(analysed):
        return _("The password must not be based on your name or email address.")
    if result["score"] >= MIN_SCORE:
        return None
    longest = max(result["sequence"], key=lambda m: len(m["token"]))
    if longest["pattern"] == "repeat":
        return _("Repeated characters, such as “aaaa” or “abcabc”, are easy to guess.")
    if longest["pattern"] in ("sequence", "spatial"):
        return _("Sequences, such as “1234”, “abcd” or “qwerty”, are easy to guess.")
    if longest.get("dictionary_name") == "passwords":
        return _common()
    return _("This password is too easy to guess. Try a few words that do not belong together.")


def _common() -> str:
    return _("This password is among the most common or leaked passwords. Choose another.")


@cache
def _common_passwords() -> frozenset[str]:
    # lazy: zxcvbn's lists are large; only a password check needs them, not every process
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _personal_words(email: str, name: str) -> list[str]:
    """The parts of the user's address and name someone who knows them would try."""
    local, _, domain = email.lower().partition("@")
    words = re.split(r"[\W_]+", f"{local} {name.lower()} {domain.rsplit('.', 1)[0]}")
    return [word for word in words if len(word) >= 3] + ([local] if local else [])
