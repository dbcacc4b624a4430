"""Serving calendar files: their headers, and 304 Not Modified when the caller's copy is current.

Calendar programs poll subscribed feeds every few minutes; answering from a cheap
version check (an ETag and Last-Modified) spares building the file at all.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime

from flask import Response, current_app, request
from werkzeug.http import is_resource_modified

CALENDAR_MIMETYPE = "text/calendar"
CACHE_CONTROL = "public, max-age=300"
# Settings written into every calendar; a change must change the ETags too.
CALENDAR_SETTINGS = ("ORGANISATION_NAME", "MAIL_DEFAULT_SENDER", "CALENDAR_UID_DOMAIN")


def calendar_etag(*version: object) -> str:
    """An ETag from what identifies a calendar's content (ids, counts, change times)."""
    settings = (str(current_app.config.get(name)) for name in CALENDAR_SETTINGS)
    text = "|".join((*map(str, version), *settings))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def calendar_response(
    build: Callable[[], bytes],
    *,
    version: tuple,
    last_modified: datetime | None,
    download_name: str | None = None,
) -> Response:
    """The calendar `build()` makes, or 304 when If-None-Match / If-Modified-Since say the
    caller has this `version` already. `download_name` makes browsers save it as a file."""
    etag = calendar_etag(*version)
    if is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        response = Response(build(), mimetype=CALENDAR_MIMETYPE)
        if download_name:
            response.headers["Content-Disposition"] = f'attachment; filename="{download_name}"'
    else:
        response = Response(status=304)
    # Weak: the same calendar, though a proxy may compress it differently.
    response.set_etag(etag, weak=True)
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response
