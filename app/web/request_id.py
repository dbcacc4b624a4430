"""An id for every request: in its log lines, on its error page and in its X-Request-ID header.

Someone who sees an error page can quote the id it shows, and the operator finds the
request's log lines, traceback included, by that id. A proxy in front may already have
given the request an id (nginx's $request_id); a well-formed one is kept, so the proxy's
access log and ours agree.
"""

import logging
import re
import secrets
from contextvars import ContextVar

HEADER = "X-Request-ID"
# Letters, digits and a little punctuation only: the id goes into log lines and pages as it is.
WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{8,128}")
NO_REQUEST = "-"

_current: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def current() -> str:
    """The id of the request being handled; "-" outside one (CLI, mail worker)."""
    return _current.get()


def _from_proxy(environ) -> str | None:
    value = environ.get("HTTP_X_REQUEST_ID", "")
    return value if WELL_FORMED.fullmatch(value) else None


class RequestIdMiddleware:
    """Outermost WSGI layer: the id is known before any of the app runs and until all of it has,
    teardown included, and the header is on every answer, even one the app failed to finish."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        request_id = _from_proxy(environ) or secrets.token_hex(8)
        token = _current.set(request_id)

        def start_with_id(status, headers, exc_info=None):
            headers = [(name, value) for name, value in headers if name.lower() != HEADER.lower()]
            headers.append((HEADER, request_id))
            return start_response(status, headers, exc_info)

        try:
            return self.wsgi_app(environ, start_with_id)
        finally:
            _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Gives every record a `request_id`, for formats that show it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current()
        return True
