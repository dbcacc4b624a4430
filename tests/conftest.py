"""The suite's fixtures, one module per concern in tests/fixtures/, loaded as pytest plugins:

database     one migrated database per run (SQLite file, or PostgreSQL via TEST_DATABASE_URL),
             the app on it, every table emptied after each test; require_postgres();
             file_database, an app on an SQLite file of its own (migration tests)
client       the test client that posts as a browser does (CSRF on), the command runner
factories    make_user, make_event, make_item, organiser, admin, feeds_hold_every_event;
             region(), local(), PASSWORD
auth         auth.login(user)
mail         a real SMTP server on loopback (mail_server), links in mail (mail_links_to)
live_server  the app served over HTTP on loopback
logs         a test fails when the app logs an error, unless marked logs_errors
"""

import pytest

# Before the imports below, so that pytest rewrites the asserts of the fixture modules.
pytest.register_assert_rewrite("tests.fixtures")

from tests.fixtures.database import IN_CI, LimitedConfig, require_postgres, require_redis  # noqa: E402
from tests.fixtures.factories import PASSWORD, local, region  # noqa: E402

pytest_plugins = [
    "tests.fixtures.database",
    "tests.fixtures.client",
    "tests.fixtures.factories",
    "tests.fixtures.auth",
    "tests.fixtures.mail",
    "tests.fixtures.live_server",
    "tests.fixtures.logs",
]

# What test modules import from here.
__all__ = ["IN_CI", "PASSWORD", "LimitedConfig", "local", "region", "require_postgres", "require_redis"]
