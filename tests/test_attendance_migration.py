"""Migration 0017 (badges, certificates, private online links) on an SQLite database that
already holds events and registrations: every row survives, each registration gets its two
codes, and the new event settings start off."""

import re

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text


@pytest.fixture
def old_database(file_database):
    """A separate SQLite file migrated to 0015, with an app bound to it."""
    migration_app, url = file_database
    with migration_app.app_context():
        upgrade(revision="0015")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("PRAGMA foreign_keys=ON"))
        conn.execute(
            text(
                "INSERT INTO event (id, kind, title, description, description_html, venue_name, venue_address, "
                "venue_city, online_url, contact_name, contact_email, contact_phone, starts_at, ends_at, "
                "invitation_only, has_parallel_sessions, has_form_questions, reminder_days, status, "
                "retention_months, sequence, created_at, updated_at) VALUES "
                "(1, 'workshop', 'Workshop i Gävle', '', '', 'Stadshuset', '', 'Gävle', 'https://meet.example.se/x', "
                "'', '', '', '2026-03-01 08:00:00', '2026-03-01 15:00:00', 0, 0, 0, 2, 'published', 12, 0, "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
        for n in range(1, 4):
            conn.execute(
                text(
                    "INSERT INTO registration (id, event_id, name, email, organisation, sector, municipality, "
                    "dietary_needs, accessibility_needs, consent_at, privacy_notice_version, status, manage_token, "
                    "locale, created_at, updated_at) VALUES "
                    f"({n}, 1, 'Person {n}', 'p{n}@example.se', 'Gävle kommun', 'municipality', '', '', '', "
                    f"'2026-01-02 00:00:00', '1', 'confirmed', 'token-{n}', 'sv', "
                    "'2026-01-02 00:00:00', '2026-01-02 00:00:00')"
                )
            )
    yield migration_app, engine
    engine.dispose()


def test_upgrading_a_database_with_rows_keeps_them_and_gives_each_registration_its_codes(old_database):
    migration_app, engine = old_database
    with migration_app.app_context():
        upgrade(revision="0017")
    with engine.connect() as conn:
        events = conn.execute(text("SELECT id, title, online_url_private, certificate_with_survey FROM event")).all()
        rows = conn.execute(
            text("SELECT id, name, manage_token, checkin_code, certificate_code FROM registration ORDER BY id")
        ).all()
    assert [(e.id, e.title, bool(e.online_url_private), bool(e.certificate_with_survey)) for e in events] == [
        (1, "Workshop i Gävle", False, False)
    ]
    assert [(r.id, r.name, r.manage_token) for r in rows] == [(n, f"Person {n}", f"token-{n}") for n in (1, 2, 3)]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{43}", r.checkin_code) for r in rows)
    assert all(re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", r.certificate_code) for r in rows)
    assert len({r.checkin_code for r in rows}) == 3 and len({r.certificate_code for r in rows}) == 3


def test_downgrading_removes_the_columns_and_keeps_the_rows(old_database):
    migration_app, engine = old_database
    with migration_app.app_context():
        upgrade(revision="0017")
        downgrade(revision="0015")
    with engine.connect() as conn:
        columns = {row.name for row in conn.execute(text("PRAGMA table_info(registration)"))}
        count = conn.execute(text("SELECT count(*) FROM registration")).scalar()
    assert "checkin_code" not in columns and "certificate_code" not in columns
    assert count == 3
