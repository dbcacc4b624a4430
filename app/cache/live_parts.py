"""Parts of a kept page that change more often than the rest of it, filled in as it is served.

An event's page shows the seats left. Kept whole, it would be rendered again after every
registration anywhere, which in a wave of registrations is every few moments, for the
very page everyone is looking at. Instead its kept copy holds a marker where each such
part goes and is kept under the content version alone (`cached_page(participants=False)`);
each answer fills the markers in. A part's value is read again only when a content
version has moved since this process last read it (one small query), and the page is
assembled and compressed once per value, so an unchanged page costs what it did.

In a template, `{{ live_part("seats_left", event.id, seats_left) }}` renders the macro
`seats_left` of templates/_macros/live_parts.html with the value this render already has.
Where the page will be kept, a marker goes into the kept copy, and every later answer gets
the macro rendered with the value the part's source, registered with `@source`, gives for
`event.id` then. A value is never older than the content versions the answer was served
under, so a filled page, like a whole one, is never older than the last commit.
"""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, get_template_attribute
from markupsafe import Markup
from sqlalchemy import Connection
from werkzeug.http import generate_etag

from app.cache import content_version

MACROS = "_macros/live_parts.html"
WRITTEN = "live_parts"  # g key: the parts this render wrote markers for
NONCE = "live_parts_nonce"  # g key: this render's marker, which no content can contain
# A process keeps this many parts' values; all are forgotten when there are more.
MAX_VALUES = 4096
# A part's source by its macro's name: a function of the part's key and a connection.
SOURCES: dict[str, Callable[[Any, Connection], Any]] = {}


def source(*names: str):
    """Register the source of the parts of these macros: a function of a part's key and a
    connection, on which it reads what it needs (the content version's reader, so a kept
    page still opens no session)."""

    def register(function):
        for name in names:
            SOURCES[name] = function
        return function

    return register


def live_part(name: str, key, value) -> Markup:
    """The Jinja global: the part rendered now, or its marker in a page about to be kept."""
    if g.get("page_cache_key") is None:
        return _rendered(name, value)
    written = g.setdefault(WRITTEN, [])
    written.append((name, key, value))
    if NONCE not in g:
        g.setdefault(NONCE, secrets.token_hex(8))
    return Markup(f"<!--live {g.get(NONCE)} {len(written) - 1}-->")


@dataclass(frozen=True)
class Marked:
    """A render that wrote markers: its body filled in for this answer, and for a kept copy
    the parts (macro name, key) in marker order, the marker and the values filled in."""

    filled: bytes
    live: tuple
    nonce: str
    values: tuple
    read_at: tuple


def take(body: bytes) -> Marked | None:
    """After a render: the body of this answer with its markers filled in, the values it
    rendered with remembered for the next answers; None when it wrote no marker."""
    written = g.pop(WRITTEN, None)
    if not written:
        return None
    nonce = g.pop(NONCE)
    versions = content_version.current()
    for name, key, value in written:
        _remember(name, key, value, versions)
    filled = _assembled(_pieces(body, nonce), [_rendered(name, value) for name, _, value in written])
    live, values = tuple((name, key) for name, key, _ in written), tuple(value for _, _, value in written)
    return Marked(filled, live, nonce, values, read_at(versions))


def read_at(versions: dict | None) -> tuple:
    """Content versions as a kept page stores them: pairs, in order (() when unknown)."""
    return tuple(sorted(versions.items())) if versions else ()


def filled(entry, compress: Callable[[bytes], bytes | None]) -> tuple[bytes, bytes | None, str]:
    """A kept page with markers (a page_store.Entry), filled with the parts' values now: its
    body, its body compressed by `compress` and its ETag. Assembled once per value."""
    versions = content_version.current()
    if entry.live_values and entry.live_read_at == read_at(versions):
        values = entry.live_values  # nothing changed since the render (in whichever process)
    else:
        values = tuple(_value(name, key, versions) for name, key in entry.live)
    last = entry.memo.get("filled")
    if last is not None and last[0] == values:
        return last[1]
    pieces = entry.memo.get("pieces")
    if pieces is None:
        pieces = entry.memo["pieces"] = _pieces(entry.body, entry.nonce)
    body = _assembled(pieces, [_rendered(name, value) for (name, _), value in zip(entry.live, values, strict=True)])
    answer = (body, compress(body), generate_etag(body))
    entry.memo["filled"] = (values, answer)
    return answer


def _value(name: str, key, versions) -> Any:
    """The part's value now: read again when the content versions have moved since."""
    function = SOURCES[name]
    remembered = current_app.extensions["live_part_values"].get((function, key))
    if versions is not None and remembered is not None and remembered[0] == versions:
        return remembered[1]
    value = content_version.on_reader(lambda connection: function(key, connection))
    _remember(name, key, value, versions)
    return value


def _remember(name: str, key, value, versions) -> None:
    """Keep a value read at (or after) reading `versions`, for answers served under them."""
    if versions is None:
        return
    kept = current_app.extensions["live_part_values"]
    if len(kept) >= MAX_VALUES:
        kept.clear()
    kept[(SOURCES[name], key)] = (versions, value)


def _rendered(name: str, value) -> Markup:
    return Markup(get_template_attribute(MACROS, name)(value))


def _pieces(body: bytes, nonce: str) -> list[bytes]:
    """The body between its markers, and each marker's part number: text, number, text, ..."""
    return re.split(rb"<!--live " + nonce.encode() + rb" (\d+)-->", body)


def _assembled(pieces: list[bytes], parts: list[str]) -> bytes:
    out = []
    for i, piece in enumerate(pieces):
        out.append(parts[int(piece)].encode() if i % 2 else piece)
    return b"".join(out)


def init_app(app) -> None:
    app.extensions["live_part_values"] = {}
    app.jinja_env.globals["live_part"] = live_part
