"""The migrations since the last release (0014) on an SQLite database that already holds
rows, up to the head and back: no row is lost either way.

On SQLite a batch migration copies a table and drops the old copy; with foreign keys on (as
the app has them) that drop deletes every row that refers to the table: an event's
registrations, a message's attachments. So new migrations add and drop columns with plain
ALTER TABLE, and this test holds them to it with rows in each table that others refer to.
"""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

RELEASED = "0014"
TABLES = ("event", "agenda_item", "registration", "outbox_message", "outbox_attachment")
DUMMY = {"INTEGER": 0, "BOOLEAN": 0, "DATETIME": "2026-03-01 08:00:00", "BLOB": b"x"}


def insert(conn, table: str, **values) -> None:
    """A row of `table` with `values`, every other required column filled with a plain value."""
    for column in conn.execute(text(f"PRAGMA table_info({table})")):
        if column.notnull and column.dflt_value is None and not column.pk and column.name not in values:
            values[column.name] = DUMMY.get(column.type, "x")
    names = ", ".join(values)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in values)})"), values)


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() for table in TABLES}


@pytest.fixture
def released_database(file_database):
    migration_app, url = file_database
    with migration_app.app_context():
        upgrade(revision=RELEASED)
    engine = create_engine(url)
    with engine.begin() as conn:
        insert(conn, "event", id=1, kind="workshop", title="Workshop i Gävle", status="published")
        insert(conn, "agenda_item", id=1, event_id=1, title="Välkommen")
        for n in (1, 2):
            insert(conn, "registration", id=n, event_id=1, email=f"p{n}@example.com", manage_token=f"token-{n}")
        insert(conn, "outbox_message", id=1, recipient="p1@example.com", message_id="<1@example.com>")
        insert(conn, "outbox_attachment", id=1, message_id=1, filename="event.ics")
    yield migration_app, engine
    engine.dispose()


def test_every_new_migration_keeps_the_rows_up_and_down(released_database):
    migration_app, engine = released_database
    before = counts(engine)
    assert before == {"event": 1, "agenda_item": 1, "registration": 2, "outbox_message": 1, "outbox_attachment": 1}
    with migration_app.app_context():
        upgrade()
    assert counts(engine) == before
    with migration_app.app_context():
        downgrade(revision=RELEASED)
    assert counts(engine) == before
