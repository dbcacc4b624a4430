"""Public pages rendered once and served again until something they show changes.

Nearly every visitor of the public pages is anonymous and sees the same page as the
next one. Rendering an event page costs 5–15 ms of CPU; serving a kept copy costs one
small query for the content version (app/cache/content_version.py), which goes up in the
same transaction as any change public pages show. So a kept page is never older than
the last commit, whichever process or machine made it. Pages that depend on the
clock as well (what is still upcoming, whether registration has closed) are kept at
most PAGE_CACHE_SECONDS.

Only views marked `@cached_page` take part, and only for GET and HEAD without a
logged-in user, a remember-me cookie or a message waiting to be shown. Only 200
answers that set no cookie and are not marked private are kept. Each process keeps
its own copies (least recently used go first); with REDIS_URL set they are shared
through Redis as well (app/cache/shared_pages.py), so after a change a page is rendered
once for every worker and machine rather than once by each.
Every answer of a marked view gets an ETag, so browsers revalidate with a 304, and
kept pages are compressed once, for clients that accept gzip. Parts that change more often
than the rest of a page, an event's seats left, are filled in at each answer instead of
renewing the whole page (app/cache/live_parts.py). A marked page only reads, so when it is
rendered its session runs without a transaction (app/database/read_only.py).
"""

import gzip
import time

from flask import Flask, Response, current_app, g, request, session
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from flask_sqlalchemy.session import Session
from werkzeug.datastructures import Headers

from app.cache import content_version, live_parts
from app.cache.page_store import Entry, PageStore, make_store
from app.database.read_only import reads_only
from app.display.i18n import select_locale

__all__ = ["Entry", "PageStore", "cached_page", "init_app"]

# Answer headers worth keeping; the security headers are added again to each answer.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "ETag", "Last-Modified", "Cache-Control")
# What a kept page's answer depends on besides its address: whether the visitor is logged in
# (their cookie) and whether they take gzip. Written whole: `response.vary.add` parses and
# writes the header again each time, a tenth of what a kept answer costs.
VARY = ("Vary", "Cookie, Accept-Encoding")
# Smaller answers are not worth compressing (they fit in a packet or two anyway).
GZIP_FROM_BYTES = 1400


def cached_page(view=None, *, participants: bool = True):
    """Mark a public view whose anonymous answer may be kept and served again.

    `participants=False` for pages that show nothing about who takes part (no seats
    left, no people reached, no ratings): registrations then leave them kept.
    """
    scopes = (content_version.CONTENT, content_version.PARTICIPATION) if participants else (content_version.CONTENT,)

    def mark(view):
        view.cached_page = scopes
        return reads_only(view)

    return mark(view) if view is not None else mark


def _store():
    return current_app.extensions["page_cache"]


def _scopes() -> tuple[int, ...]:
    """The content versions this request's page depends on; () when it is not cached."""
    if request.method not in ("GET", "HEAD") or not current_app.config["PAGE_CACHE_SECONDS"]:
        return ()
    scopes = getattr(current_app.view_functions.get(request.endpoint), "cached_page", ())
    # Anyone logged in, or about to be, or with a message to see, gets their own page.
    if "_user_id" in session or "_flashes" in session or REMEMBER_COOKIE in request.cookies:
        return ()
    return scopes


def _key() -> tuple:
    # Links to other sites (webcal://) are built from the host the request came to.
    return (request.scheme, request.host, request.path, request.query_string, select_locale())


def serve_kept_page() -> Response | None:
    """Before the view: answer from the cache when a current copy is kept."""
    g.page_cache_key = None
    scopes = _scopes()
    if not scopes:
        return None
    versions = content_version.current()
    if versions is None:
        return None
    version = tuple(versions[scope] for scope in scopes)
    key = _key()
    entry = _store().current(key, version)
    if entry is not None:
        body, gzipped = entry.body, entry.gzipped
        response = Response(status=entry.status, headers=Headers([*entry.headers, VARY]))
        if entry.live:
            body, gzipped, etag = live_parts.filled(entry, _gzipped)
            if etag is not None:
                response.set_etag(etag)
        response.set_data(body)
        return _conditional(_encoded(response, gzipped))
    g.page_cache_key, g.page_cache_version, g.page_cache_versions = key, version, versions
    return None


def keep_page(response: Response) -> Response:
    """After the view: keep a fresh anonymous answer, and let browsers revalidate it."""
    key = g.get("page_cache_key")
    # Judged before personal parts are filled in (a CSRF token sets the visitor's session);
    # a token made for this render (in `g`) was written into the page, which is then theirs.
    private = (
        "Set-Cookie" in response.headers
        or session.modified
        or current_app.config["WTF_CSRF_FIELD_NAME"] in g
        or response.cache_control.no_store
        or response.cache_control.private
    )
    marked = None
    if live_parts.written():  # the render wrote markers: this answer gets them filled in, kept or not
        marked = live_parts.take(response.get_data(), g.get("page_cache_versions"))
        response.set_data(marked.filled)
    if key is None or response.is_streamed or response.status_code != 200:
        return response
    response.vary.add("Cookie")
    personal = marked is not None and marked.personal
    if not response.get_etag()[0] and not personal:
        response.add_etag()
    if not private:
        headers = [(name, value) for name, value in response.headers.items() if name in KEPT_HEADERS]
        expires = time.monotonic() + current_app.config["PAGE_CACHE_SECONDS"]
        gzipped = None if personal else _gzipped(response.get_data())
        if marked is None:
            entry = Entry(g.page_cache_version, expires, response.status_code, headers, response.get_data(), gzipped)
        else:  # kept with its markers; each filling gets an ETag of its own
            headers = [(name, value) for name, value in headers if name != "ETag"]
            entry = Entry(
                g.page_cache_version,
                expires,
                response.status_code,
                headers,
                marked.body,
                live=marked.live,
                nonce=marked.nonce,
                live_values=marked.values,
                live_read_at=marked.read_at,
            )
            if not personal:
                entry.memo["filled"] = (marked.values, (marked.filled, gzipped, response.get_etag()[0]))
        _store().put(key, entry)
        response.vary.add("Accept-Encoding")
        response = _encoded(response, gzipped)
    return _conditional(response)


def _gzipped(body: bytes) -> bytes | None:
    return gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= GZIP_FROM_BYTES else None


def _encoded(response: Response, gzipped: bytes | None) -> Response:
    """The kept page gzipped when the client accepts it, with an ETag of its own."""
    if gzipped is not None and request.accept_encodings["gzip"]:
        response.set_data(gzipped)
        response.headers["Content-Encoding"] = "gzip"
        etag, weak = response.get_etag()
        if etag:
            response.set_etag(f"{etag}-gzip", weak)
    return response


def _conditional(response: Response) -> Response:
    """304 when the browser's copy is current (checked only when it says which it has)."""
    if "If-None-Match" in request.headers or "If-Modified-Since" in request.headers:
        return response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    content_version.install(Session)
    app.extensions["page_cache"] = make_store(app.config)
    app.extensions["content_memo"] = {}  # see content_version.memoized
    app.extensions["content_version_reader"] = []  # made at the first read, see content_version.reader
    app.extensions[content_version.SHARED_READ] = content_version.SharedRead(content_version.read_rows)
    live_parts.init_app(app)
    app.before_request(serve_kept_page)
    app.after_request(keep_page)
