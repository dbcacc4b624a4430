"""Where the app's log lines go: standard error, each with its request id.

Standard error is gunicorn's error log as deploy/gunicorn.conf.py sets it up (`errorlog = "-"`),
the container's log, and the terminal of `make run`; so an unexpected error's traceback
lands beside gunicorn's own lines, in the same layout, whichever way the app runs.
"""

import logging
import sys

from flask import Flask
from flask.logging import default_handler

from app.web.access_log import redact
from app.web.request_id import RequestIdFilter

# gunicorn's layout, with the request id after the level.
FORMAT = "[%(asctime)s] [%(process)d] [%(levelname)s] [%(request_id)s] %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S %z"


class RedactingFormatter(logging.Formatter):
    """A line as gunicorn's error log writes it, with personal tokens hidden (an error's
    message or traceback may hold the URL of the personal page it happened on)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class StderrHandler(logging.StreamHandler):
    """Writes to sys.stderr as it is when a line is logged: gunicorn and test runners replace it."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):
        return sys.stderr


def configure(app: Flask) -> None:
    """Log records of the app's own loggers (`app`, `app.services.mail.worker`, ...) at LOG_LEVEL and above."""
    logger = logging.getLogger(app.import_name)  # Flask's app.logger, parent of every module's logger
    logger.removeHandler(default_handler)
    if not any(isinstance(handler, StderrHandler) for handler in logger.handlers):  # once per process
        handler = StderrHandler()
        handler.setFormatter(RedactingFormatter(FORMAT, DATE_FORMAT))
        handler.addFilter(RequestIdFilter())
        logger.addHandler(handler)
    logger.setLevel(app.config["LOG_LEVEL"])
