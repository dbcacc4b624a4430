"""Error pages: JSON under /api/, translated HTML elsewhere; never a bare 500."""

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db


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


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_unexpected_error)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected_error)
