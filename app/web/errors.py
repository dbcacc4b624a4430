"""Error pages: JSON under /api/, translated HTML elsewhere; never a bare 500.

Every unexpected error is logged with its traceback and the request's id, and the page
(or JSON) the person gets shows the same id, so what they quote is what the operator finds.
A lock or statement that ran out of time answers "busy, try again" (503) instead.
"""

from flask import Flask, Response, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.database import timeouts
from app.display.i18n import current_locale
from app.extensions import db
from app.web import request_id

# Seconds a client is asked to wait after "busy": about what a held lock usually takes to go.
BUSY_RETRY_AFTER = 5
# Forms whose busy answer says the person is not registered.
REGISTRATION_ENDPOINTS = frozenset({"registrations.register", "invitations.invitation"})


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("You do not have permission to see this page."),
        404: _("The page could not be found."),
        405: _("That action is not possible here."),
        413: _(
            "The upload is too large: at most %(mb)d MB. Split the list into smaller files and try again.",
            mb=(current_app.config["MAX_CONTENT_LENGTH"] or 0) // (1024 * 1024),
        ),
        429: _("Too many attempts. Wait a moment and try again."),
        500: _("Something went wrong on our side. Nothing was saved; please try again."),
    }


def _respond(status: int, message: str) -> Response:
    """The error as JSON under /api/, else as a page; server errors show the request id."""
    reference = request_id.current()
    if request.path.startswith("/api/"):
        response = jsonify(error={"status": status, "message": message, "request_id": reference})
    else:
        response = make_response(_page(status, message, reference))
    response.status_code = status
    return response


def _page(status: int, message: str, reference: str) -> str:
    try:
        return render_template("errors/error.html", status=status, message=message, reference=reference)
    except Exception:  # the page itself failed, e.g. its menu could not load the logged-in user
        current_app.logger.exception("The error page could not be shown; a plain one was sent")
    # Nothing here needs the database or the templates.
    return (
        f'<!doctype html><html lang="{escape(current_locale())}"><meta charset="utf-8">'
        f"<title>{status} · Samverkan</title>"
        f"<h1>{escape(message)}</h1><p>{escape(_('Reference: %(id)s', id=reference))}</p>"
        f'<p><a href="/">{escape(_("Go to the start page"))}</a></p></html>'
    )


def handle_http_error(error: HTTPException):
    status = error.code or 500
    return _respond(status, _messages().get(status, error.name))


def handle_csrf_error(error: CSRFError):
    return _respond(400, _("The form had expired. Go back, reload the page and try again."))


def handle_unexpected_error(error: Exception):
    """Any exception no other handler took, and InternalServerError (which Flask gives when an
    exception escapes after the view, e.g. from an after_request hook, having logged it)."""
    logged_by_flask = isinstance(error, InternalServerError) and error.original_exception is not None
    if not logged_by_flask:
        current_app.logger.error("Exception on %s [%s]", request.path, request.method, exc_info=error)
    _roll_back()
    return _respond(500, _messages()[500])


def _roll_back() -> None:
    """Leave nothing half-done; a connection that died with the error cannot roll back, and need not."""
    try:
        db.session.rollback()
    except Exception:
        current_app.logger.warning("Rolling back after an error failed as well", exc_info=True)


def close_session(error: BaseException | None) -> None:
    """End the request's database session, as Flask-SQLAlchemy would, but without failing: by now the
    answer is made and anything to keep is committed, so a connection that died after the page was
    rendered costs a log line, not the page (an exception here would make the server send a bare 500)."""
    try:
        db.session.remove()
    except Exception:
        current_app.logger.warning("The database connection failed as the request ended", exc_info=True)
        db.session.registry.clear()  # the failed session must not be found by a later request


def handle_database_busy(error: OperationalError):
    """A lock or statement that ran out of time (app/database/timeouts.py): 503 "busy, try again",
    nothing saved. Any other database failure is an unexpected error like the rest."""
    kind = timeouts.ran_out(error)
    if kind is None:
        return handle_unexpected_error(error)
    _roll_back()
    # The endpoint, not the path, which may hold a personal token.
    if kind == "lock":
        current_app.logger.warning("Busy: a lock wait ran out in %s %s", request.method, request.endpoint)
    else:
        current_app.logger.error(
            "Busy: a statement ran out of time in %s %s", request.method, request.endpoint, exc_info=error
        )
    if request.endpoint in REGISTRATION_ENDPOINTS and request.method == "POST":
        message = _(
            "Many people are registering just now and yours could not be saved: you are not registered "
            "yet. Please try again in a moment."
        )
    else:
        message = _("The site is busy just now and nothing was saved. Please try again in a moment.")
    response = _respond(503, message)
    response.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


def register(app: Flask) -> None:
    # Teardowns run last registered first: this one before Flask-SQLAlchemy's, which finds nothing left.
    app.teardown_appcontext(close_session)
    app.register_error_handler(OperationalError, handle_database_busy)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_unexpected_error)
    app.register_error_handler(Exception, handle_unexpected_error)
