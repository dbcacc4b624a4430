"""What every gunicorn worker would otherwise do on its first requests, done once in the
master before it forks them (deploy/gunicorn.conf.py, `when_ready`).

In a new process the first home page took 160 ms and the first event page 40 ms, against
2 ms each after: the mappers configured at the first query (110 ms), each template compiled
at its first rendering (168 of them, a second in all), the catalogue and the locale data of
a language loaded at its first page. Under load a new worker's threads compiled the same
templates at once, and its first requests took 0.4-1.6 s: without Redis, that was the whole
p99 of a kept page. Done here, the workers are forked with all of it, and share it.

A template that does not compile now stops gunicorn from starting, rather than failing its
page at the first visit.
"""

from datetime import UTC, datetime

from flask import Flask
from flask_babel import force_locale, format_datetime, get_translations
from sqlalchemy.orm import configure_mappers


def warm_up(app: Flask) -> None:
    """Configure the mappers, compile every template and load each language's texts."""
    configure_mappers()
    for name in template_names(app):
        app.jinja_env.get_template(name)
    with app.test_request_context():
        for language in app.config.get("LANGUAGES", ()):
            with force_locale(language):
                get_translations()
                format_datetime(datetime.now(UTC), "full")  # the locale's data from Babel


def template_names(app: Flask) -> list[str]:
    """Every template of the app; an editor's swap file or a `.DS_Store` beside them is none."""
    return app.jinja_env.list_templates(filter_func=lambda name: "/." not in f"/{name}")
