"""Personal links out of the logs: gunicorn's access log names every path, query and
Referer, and the path of a personal page is its key (`/r/TOKEN` opens a registration).

`deploy/gunicorn.conf.py` sets `logger_class = "app.web.access_log.RedactingLogger"`.
`redact` serves any other log line that may carry a URL.
"""

import logging
import re

from gunicorn.glogging import Logger, SafeAtoms

REDACTED = "[token]"

# The segment after a personal page's prefix: /r/ /i/ /u/ /s/ /visit/ (and any reset or
# confirm link a later feature may add), with the slash possibly percent-encoded.
_SLASH = r"(?:/|%2[fF])"
_TOKEN_PATH = re.compile(rf"({_SLASH}(?:r|i|u|s|visit|reset|reset-password|confirm){_SLASH})[^/?#&\s\"]+")
# Anything else that looks like a secrets.token_urlsafe(32) value: 43 or more URL-safe
# characters in one run, with a capital or a digit (so a long-hyphenated word survives).
_LONG_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[A-Z0-9])[A-Za-z0-9_-]{43,}(?![A-Za-z0-9_-])")
# Query parameters that carry a secret by their name: token=, key=, edit_key=, secret=...
_SECRET_PARAMETER = re.compile(
    r"((?:^|[?&;])[^=&;\s\"]*(?:token|key|secret|password|signature)=)[^&;#\s\"]*", re.IGNORECASE
)
# What a token path (a slash, maybe encoded) or a secret parameter (=) needs; a long token
# needs 43 characters.
_MAY_HOLD_TOKEN = re.compile(r"[/%=]")


def redact(text: str) -> str:
    """`text` with every personal token replaced by [token]; everything else as it was."""
    if len(text) < 43 and not _MAY_HOLD_TOKEN.search(text):
        return text  # none of the three patterns can match: most of a log line's values
    text = _TOKEN_PATH.sub(rf"\1{REDACTED}", text)
    text = _SECRET_PARAMETER.sub(rf"\1{REDACTED}", text)
    return _LONG_TOKEN.sub(REDACTED, text)


class RedactingAtoms(SafeAtoms):
    """The values an access log line is made of, each escaped and redacted as the format asks
    for it (the request line, path, query, Referer, any header). gunicorn offers some 70 (every
    header and environ entry) for the dozen a line uses, and SafeAtoms escaped each of them up
    front: half of the 65 µs a line cost."""

    def __init__(self, atoms) -> None:
        dict.__init__(self, atoms)

    def __getitem__(self, key):
        value = super().__getitem__(key)
        return redact(value.replace('"', '\\"')) if isinstance(value, str) else value


class RedactingFilter(logging.Filter):
    """Redacts a log record's message and traceback before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


_FILTER = RedactingFilter()


class RedactingLogger(Logger):
    """gunicorn's logger, with personal tokens kept out of the access log and out of the
    error log (gunicorn names the request's path when a request fails)."""

    atoms_wrapper_class = RedactingAtoms

    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(_FILTER)  # once: a logger keeps one of each filter
