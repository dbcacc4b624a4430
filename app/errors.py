"""Error pages: JSON under /api/, translated HTML elsewhere; never a bare 500."""

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from app import timeouts
from app.extensions import db

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
        413: _("The upload is too large: at most %(mb)d MB. Split the list into smaller files and try again.",
               mb=(current_app.config["MAX_CONTENT_LENGTH"] or 0) // (1024 * 1024)),
        429: _("Too many attempts. Wait a moment and try again."),
        500: _("Something went wrong on our side. Nothing was saved; please try again."),
    }


def _respond(status: int, message: str):
    if request.path.startswith("/api/"):
        return jsonify(error={"status": status, "message": message}), status
    return render_template("errors/error.html", status=status, message=message), status


def handle_http_error(error: HTTPException):
    status = error.code or 500
    return _respond(status, _messages().get(status, error.name))


def handle_csrf_error(error: CSRFError):
    return _respond(400, _("The form had expired. Go back, reload the page and try again."))


def handle_unexpected_error(error: Exception):
    db.session.rollback()
    return _respond(500, _messages()[500])


def handle_database_busy(error: OperationalError):
    """A lock or statement that ran out of time (app/timeouts.py): 503 "busy, try again",
    nothing saved. Any other database failure is an unexpected error like the rest."""
    kind = timeouts.ran_out(error)
    if kind is None:
        return handle_unexpected_error(error)
    db.session.rollback()
    # The endpoint, not the path, which may hold a personal token.
    if kind == "lock":
        current_app.logger.warning("Busy: a lock wait ran out in %s %s", request.method, request.endpoint)
    else:
        current_app.logger.error("Busy: a statement ran out of time in %s %s", request.method, request.endpoint,
                                 exc_info=error)
    if request.endpoint in REGISTRATION_ENDPOINTS and request.method == "POST":
        message = _("Many people are registering just now and yours could not be saved: you are not registered "
                    "yet. Please try again in a moment.")
    else:
        message = _("The site is busy just now and nothing was saved. Please try again in a moment.")
    response = make_response(_respond(503, message))
    response.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


def register(app: Flask) -> None:
    app.register_error_handler(OperationalError, handle_database_busy)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_unexpected_error)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected_error)
