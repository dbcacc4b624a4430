"""Samverkan: events and conferences for collaboration across Sweden's regions.

Importing any module of the package runs this file first, so it imports next to nothing
at the top: the parts of the app load when `create_app` builds one (each `register_*`
helper imports what it binds), and a light import such as gunicorn's logger class
(app.web.access_log) or a migration's column type stays light.
"""

from flask import Flask, request
from flask_babel import lazy_gettext

from app.web.converters import IdConverter
from config import Config, config_from_env


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the application for one configuration (from SAMVERKAN_CONFIG by default)."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    app.config.from_object((config_class or config_from_env())())
    app.json.ensure_ascii = False  # Swedish names stay readable in the API
    app.url_map.converters["int"] = IdConverter
    register_extensions(app)
    register_request_guards(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_logging(app)
    return app


def register_logging(app: Flask) -> None:
    """Log lines to standard error, each with the id of its request; last, so the id is given
    before any other part of the app sees the request."""
    # lazy: the app's parts load when an app is built (see the module docstring)
    from app.web import logs
    from app.web.request_id import RequestIdMiddleware

    logs.configure(app)
    app.wsgi_app = RequestIdMiddleware(app.wsgi_app)


def register_extensions(app: Flask) -> None:
    """Bind the shared extension instances to this app."""
    # lazy: the app's parts load when an app is built (see the module docstring)
    from app import models  # noqa: F401  (every table known to Alembic)
    from app.auth.session import load_user
    from app.database import pool, sqlite, timeouts  # noqa: F401  (SQLite enforces foreign keys)
    from app.display.i18n import select_locale
    from app.extensions import babel, csrf, db, login_manager, migrate

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = pool.sized(timeouts.engine_options(app.config), app.config)
    db.init_app(app)
    with app.app_context():
        pool.watch(db.engine)
    migrate.init_app(app, db, render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    # Lazy, so the message is in the language of the request that shows it.
    login_manager.login_message = lazy_gettext("Please log in to see that page.")
    login_manager.user_loader(load_user)


def register_request_guards(app: Flask) -> None:
    """Refuse input no page can use before any view runs; add security headers to every answer."""
    # lazy: the app's parts load when an app is built (see the module docstring)
    from app.auth.session import load_session_first, require_two_factor
    from app.cache import page_cache
    from app.database import read_only
    from app.extensions import limiter
    from app.web.guards import refuse_nul_bytes
    from app.web.security import require_same_origin, set_security_headers, trust_proxy
    from app.web.session_cookie import SessionCookies

    app.session_interface = SessionCookies()
    trust_proxy(app)
    app.before_request(refuse_nul_bytes)
    app.before_request(require_same_origin)
    # Before the page cache: a visitor whose session has ended is anonymous again.
    app.before_request(load_session_first)
    app.before_request(require_two_factor)
    app.after_request(set_security_headers)
    # After the guards, so a refused request is never looked up; its after_request hook
    # runs before the security headers are added.
    page_cache.init_app(app)
    # After the page cache: a page served kept checks out no database connection.
    read_only.init_app(app)
    # After the page cache: a kept page is served without the limiter's before_request,
    # which checks default limits only (there are none; a view's own limits run with the
    # view, which a kept page never calls).
    limiter.init_app(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per area of the application."""
    # lazy: the app's parts load when an app is built (see the module docstring)
    from app.admin import bp as admin_bp
    from app.api import bp as api_bp
    from app.auth import bp as auth_bp
    from app.feedback import bp as feedback_bp
    from app.invitations import bp as invitations_bp
    from app.manage import bp as manage_bp
    from app.public import bp as public_bp
    from app.regions import bp as regions_bp
    from app.registrations import bp as registrations_bp
    from app.visits import bp as visits_bp
    from app.web import live_sources  # noqa: F401  (the live parts' sources, for the pages below)

    app.register_blueprint(public_bp)
    app.register_blueprint(regions_bp)
    app.register_blueprint(registrations_bp)
    app.register_blueprint(invitations_bp)
    app.register_blueprint(visits_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)


def register_errorhandlers(app: Flask) -> None:
    """JSON errors under /api/, HTML pages elsewhere."""
    # lazy: the app's parts load when an app is built (see the module docstring)
    from app.web.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    """Filters and globals the templates use for dates, labels and languages."""
    # lazy: the app's parts load when an app is built (see the module docstring)
    from app.display import formatting, i18n, places, template_gettext
    from app.web.forms import error_list
    from app.web.pagination import page_url

    template_gettext.install(app)
    app.jinja_env.filters.update(formatting.FILTERS)
    app.jinja_env.filters.update(places.FILTERS)
    app.jinja_env.globals.update(
        page_url=page_url,
        form_error_list=error_list,
        current_locale=i18n.current_locale,
        language_choices=i18n.language_choices,
        current_path=lambda: request.full_path.rstrip("?"),
    )


def register_commands(app: Flask) -> None:
    """The `flask --app wsgi ...` commands."""
    # lazy: the app's parts load when an app is built (see the module docstring)
    from app.cli import COMMANDS

    for command in COMMANDS:
        app.cli.add_command(command)
