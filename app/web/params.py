"""Reading values people and scripts type into query strings and forms: one reader per kind.

Each reader gives None for anything that is not a well-formed value of its kind, so views
never meet the traps behind each kind: str.isdigit() takes "²", which int() refuses (and
int() takes "٣"); the first and last days Python knows overflow when turned into UTC or
moved a day; a query value named like one of url_for's own keywords ("endpoint",
"_method") breaks every link built from the query string; and a `next` address can lead
to another site once a browser drops its tabs and newlines or reads "\\" as "/".
"""

import re
import unicodedata
from datetime import date
from urllib.parse import urlsplit

from app.web.converters import MAX_ID

# Far beyond any event (the forms keep events within 2000–2100), yet clear of the ends of
# Python's dates, where local midnight in UTC or the next day does not exist.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Longer than any address of this site, short enough for any log or header.
MAX_PATH = 2000
# Control, format (zero-width, direction marks) and line-separator characters: a browser drops or
# misreads them, and no path this site sends people to holds one.
INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})


def whole_number(text: str | None, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """`text` as a whole number from `low` to `high`: ASCII digits only, no sign, no spaces."""
    if not text or not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
        return None
    number = int(text)
    return number if low <= number <= high else None


def record_id(text: str | None) -> int | None:
    """`text` as the id of a row (1 up to what an integer key holds)."""
    return whole_number(text, low=1, high=MAX_ID)


def iso_date(text: str | None, *, first: date = FIRST_DAY, last: date = LAST_DAY) -> date | None:
    """`text` as a YYYY-MM-DD date from `first` to `last`."""
    if not text or not ISO_DATE.fullmatch(text):  # fromisoformat() also takes "2027-W11-1" and more
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if first <= day <= last else None


def _url_for_keyword(name: str) -> bool:
    """url_for's own parameters: `endpoint` and those starting with "_" (`_method`, `_external`, ...)."""
    return name == "endpoint" or name.startswith("_")


def link_args(args, *, keep=None, drop=(), path_values=None) -> dict[str, str]:
    """Query values to pass on to url_for (a list's filters in its page links): none named like
    url_for's own parameters or like a value the path already has (`event_id`), which url_for
    would get twice; only the names in `keep` when given, never those in `drop`."""
    return {
        name: value
        for name, value in args.items()
        if not _url_for_keyword(name)
        and name not in (path_values or {})
        and name not in drop
        and (keep is None or name in keep)
    }


def same_site_path(text: str | None) -> str | None:
    """`text` when it is a path on this site ("/events/7?lang=en"), else None.

    Browsers drop tabs and newlines anywhere in an address and read "\\" as "/", so
    "/\\t/evil.example" and "/\\\\evil.example" lead to another site: no control
    character, no backslash, and no "//" at the start (which names a host).
    """
    if not text or len(text) > MAX_PATH or not text.startswith("/") or text.startswith("//"):
        return None
    if "\\" in text or any(unicodedata.category(char) in INVISIBLE for char in text):
        return None
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        return None
    return text
