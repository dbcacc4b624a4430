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
the macro rendered with the value the part's source (app/web/live_sources.py, registered
with `@source`) gives for `event.id` then. A value is never older than the content
versions the answer was served under, so a filled page, like a whole one, is never older
than the last commit.

A personal part (`@source(..., personal=True)`), the registration form's CSRF token, is
the visitor's own: its source is asked at every answer, nothing of it is kept, and a page
with one is assembled for each answer and given no ETag.
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


@dataclass(frozen=True)
class Source:
    # A function of a part's key and a connection (None for a personal part), on which it
    # reads what it needs: the content version's reader, so a kept page opens no session.
    read: Callable[[Any, Connection | None], Any]
    personal: bool = False


# A part's source by its macro's name.
SOURCES: dict[str, Source] = {}


def source(*names: str, personal: bool = False):
    """Register the source of the parts of these macros (see Source)."""

    def register(function):
        for name in names:
            SOURCES[name] = Source(function, personal)
        return function

    return register


def keeping() -> bool:
    """Whether the page being rendered will be kept, so its live parts are markers: a view
    leaves out what a personal part fills in (the form's own CSRF field)."""
    return g.get("page_cache_key") is not None


def render_only() -> None:
    """Render this page for this answer alone, as for a logged-in visitor: for a page that
    shows something of who takes part outside its live parts. Before it renders anything."""
    g.page_cache_key = None


def written() -> bool:
    """Whether this render wrote markers, which the answer must have filled in."""
    return WRITTEN in g


def live_part(name: str, key, value=None) -> Markup:
    """The Jinja global: the part rendered now, or its marker in a page about to be kept.
    A personal part's `value` is not given: its source is asked."""
    if not keeping():
        return _rendered(name, _value(name, key, None) if SOURCES[name].personal else value)
    parts = g.setdefault(WRITTEN, [])
    parts.append((name, key, value))
    nonce = g.setdefault(NONCE, secrets.token_hex(8))
    return Markup(f"<!--live {nonce} {len(parts) - 1}-->")


@dataclass(frozen=True)
class Marked:
    """A render that wrote markers: its body filled in for this answer, and for a kept copy
    its body with the markers, the parts (macro name, key) in marker order, the marker, the
    values filled in and the content versions read before them."""

    filled: bytes
    body: bytes
    live: tuple
    nonce: str
    values: tuple
    read_at: tuple
    personal: bool


def take(body: bytes, versions: dict | None) -> Marked:
    """After a render that wrote markers: the body of this answer with its markers filled
    in, the values it rendered with remembered for the next answers under `versions`, the
    content versions read before the render (so before its values)."""
    written, nonce = g.pop(WRITTEN), g.pop(NONCE)
    for name, key, value in written:
        _remember(name, key, value, versions)
    live = tuple((name, key) for name, key, _ in written)
    values = tuple(None if SOURCES[name].personal else value for name, _, value in written)
    filled = _fill(_pieces(body, nonce), live, _with_personal(live, values, versions))
    return Marked(filled, body, live, nonce, values, read_at(versions), _personal(live))


def read_at(versions: dict | None) -> tuple:
    """Content versions as a kept page stores them: pairs, in order (() when unknown)."""
    return tuple(sorted(versions.items())) if versions else ()


def filled(entry, compress: Callable[[bytes], bytes | None]) -> tuple[bytes, bytes | None, str | None]:
    """A kept page with markers (a page_store.Entry), filled with the parts' values now: its
    body, its body compressed by `compress` and its ETag. Assembled once per value; for each
    answer, uncompressed and without an ETag, when a part is personal."""
    versions = content_version.current()
    if entry.live_read_at == read_at(versions):
        values = entry.live_values  # nothing changed since the render (in whichever process)
    else:  # personal parts are asked below, for each answer
        values = tuple(None if SOURCES[name].personal else _value(name, key, versions) for name, key in entry.live)
    pieces = entry.memo.get("pieces")
    if pieces is None:
        pieces = entry.memo["pieces"] = _pieces(entry.body, entry.nonce)
    if _personal(entry.live):
        return _fill(pieces, entry.live, _with_personal(entry.live, values, versions)), None, None
    last = entry.memo.get("filled")
    if last is not None and last[0] == values:
        return last[1]
    body = _fill(pieces, entry.live, values)
    answer = (body, compress(body), generate_etag(body))
    entry.memo["filled"] = (values, answer)
    return answer


def _value(name: str, key, versions) -> Any:
    """The part's value now: read again when the content versions have moved since (asked
    at every answer for a personal part)."""
    source = SOURCES[name]
    if source.personal:
        return source.read(key, None)
    remembered = current_app.extensions["live_part_values"].get((source.read, key))
    if versions is not None and remembered is not None and remembered[0] == versions:
        return remembered[1]
    value = content_version.on_reader(lambda connection: source.read(key, connection))
    _remember(name, key, value, versions)
    return value


def _personal(live: tuple) -> bool:
    return any(SOURCES[name].personal for name, _ in live)


def _with_personal(live: tuple, values: tuple, versions) -> tuple:
    """`values` (None for each personal part) with the personal parts asked now."""
    return tuple(
        _value(name, key, versions) if SOURCES[name].personal else value
        for (name, key), value in zip(live, values, strict=True)
    )


def _remember(name: str, key, value, versions) -> None:
    """Keep a value read at (or after) reading `versions`, for answers served under them."""
    if versions is None or SOURCES[name].personal:
        return
    kept = current_app.extensions["live_part_values"]
    if len(kept) >= MAX_VALUES:
        kept.clear()
    kept[(SOURCES[name].read, key)] = (versions, value)


def _rendered(name: str, value) -> Markup:
    return Markup(get_template_attribute(MACROS, name)(value))


def _pieces(body: bytes, nonce: str) -> list[bytes]:
    """The body between its markers, and each marker's part number: text, number, text, ..."""
    return re.split(rb"<!--live " + nonce.encode() + rb" (\d+)-->", body)


def _fill(pieces: list[bytes], live: tuple, values: tuple) -> bytes:
    """The page: its pieces, with each marker's part rendered with its value."""
    parts = [_rendered(name, value).encode() for (name, _), value in zip(live, values, strict=True)]
    return b"".join(parts[int(piece)] if i % 2 else piece for i, piece in enumerate(pieces))


def init_app(app) -> None:
    app.extensions["live_part_values"] = {}
    app.jinja_env.globals["live_part"] = live_part
