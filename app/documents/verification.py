"""A certificate's verification code as a person types it back from the printout.

The code itself is random and stored with the registration (app.models.tokens
new_certificate_code: 60 bits, "ABCD-EFGH-JKLM"); /verify looks it up, rate-limited, and
answers with the name, event and date only. Here: reading a typed or pasted code into its
printed form, whatever its case, spaces, dashes and look-alike digits.
"""

import re

# 12 base-32 characters: 60 bits, of which a guess must hit one of the few thousand issued,
# a few guesses a minute (the page's rate limit).
CODE_LENGTH = 12
GROUP = 4
# Base 32 has no 0, 1 or 8: what a person types for O, I and B is read as those.
_TYPED_ALIKE = str.maketrans({"0": "O", "1": "I", "8": "B"})


def normalise_code(typed: str) -> str:
    """A typed or pasted code in its printed form, or '' when it cannot be one: case, spaces,
    dashes and the look-alike digits do not matter."""
    compact = re.sub(r"[\s\-–]", "", typed or "").upper().translate(_TYPED_ALIKE)
    if not re.fullmatch(rf"[A-Z2-7]{{{CODE_LENGTH}}}", compact):
        return ""
    return "-".join(compact[index : index + GROUP] for index in range(0, CODE_LENGTH, GROUP))
