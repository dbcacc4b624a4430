"""The benchmark's own parts: the generated data fits the models, and the pages it
loads are found in the app, so `make bench` measures what it says it measures."""

from types import SimpleNamespace

from sqlalchemy import create_engine, delete, func, select, text

from app.extensions import db
from app.models import (
    AgendaItem,
    AuditEntry,
    Contact,
    Event,
    EventStatus,
    Invitation,
    OutboxMessage,
    Registration,
    Role,
    Survey,
    SurveyAnswer,
    SurveyLink,
    SurveyQuestion,
    SurveyRespondent,
    SurveyResponse,
)
from app.services.surveys.template import OVERALL
from bench import invitation_import
from bench.dataset import BENCH_ADMIN_EMAIL, Dataset
from bench.generate import generate
from bench.pages import PAGES, Sample, path_for

REGIONS = {"01": 1, "05": 4, "07": 6, "21": 17}


def test_the_data_set_is_the_same_for_the_same_seed_and_day():
    first, second = Dataset(1, REGIONS), Dataset(1, REGIONS)
    assert list(first.users()) == list(second.users())
    assert list(first.events_rows()) == list(second.events_rows())
    assert list(first.event_organisers()) == list(second.event_organisers())
    assert list(Dataset(1, REGIONS, seed=9).events_rows()) != list(first.events_rows())


def test_generated_scale_1_loads_through_the_migrations(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert generate(url, 1) is True
    assert generate(url, 1, if_needed=True) is False  # already there: kept

    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Event)) == 200
        statuses = dict(conn.execute(select(Event.status, func.count()).group_by(Event.status)).all())
        assert set(statuses) == {status.value for status in EventStatus}
        assert conn.scalar(select(func.count()).select_from(AgendaItem)) > 800
        assert 15_000 < conn.scalar(select(func.count()).select_from(Registration)) < 25_000
        # Feedback on held events, from the default template, as the region page and overview read it.
        assert conn.scalar(select(func.count()).select_from(SurveyResponse)) == 5_000
        assert conn.scalar(select(func.count()).select_from(SurveyRespondent)) == 5_000
        assert conn.scalar(select(func.count()).select_from(SurveyLink)) > 5_000
        surveyed = set(conn.scalars(select(Event.status).join(Survey, Survey.event_id == Event.id)))
        assert surveyed <= {EventStatus.PUBLISHED.value, EventStatus.COMPLETED.value}
        overall = conn.execute(
            select(func.count(), func.avg(SurveyAnswer.number))
            .select_from(SurveyAnswer)
            .join(SurveyQuestion, SurveyAnswer.question_id == SurveyQuestion.id)
            .where(SurveyQuestion.key == OVERALL)
        ).one()
        assert overall[0] == 5_000 and 3 < overall[1] < 5
        # Stored as the app stores times: naive UTC, which UTCDateTime reads back as aware.
        raw = conn.execute(text("SELECT starts_at FROM event LIMIT 1")).scalar()
        assert "+" not in str(raw)
        # Survey data missing (as from a generator older than the surveys): generated again.
        conn.execute(delete(SurveyAnswer))
        conn.execute(delete(SurveyResponse))
        conn.commit()
    engine.dispose()
    assert generate(url, 1, if_needed=True) is True
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(SurveyResponse)) == 5_000
    engine.dispose()


def test_the_pages_the_issue_names_are_found_in_the_app(app):
    paths = {page.name: path_for(app, page, Sample(event_id=7, region_code="05")) for page in PAGES}
    assert paths["home"] == "/"
    assert paths["event page"] == "/events/7"
    assert paths["agenda page"] == "/events/7/agenda"
    assert paths["region page"] == "/regions/05"
    assert paths["/api/v1/events"] == "/api/v1/events"
    assert paths["/calendar.ics"] == "/calendar.ics"
    assert paths["registration POST"] == "/events/7/register"
    assert paths["/api/v1/events/<id>"] == "/api/v1/events/7"
    assert paths["national overview"] == "/manage/overview"
    assert all(path is not None for path in paths.values()), paths


def test_the_invitation_import_is_measured_for_a_published_event_and_cleaned_up(app, make_user, monkeypatch):
    make_user(email=BENCH_ADMIN_EMAIL, role=Role.ADMIN)
    monkeypatch.setattr(invitation_import, "ROWS", 40)

    result = invitation_import.measure_invitation_import(SimpleNamespace(app=app))

    assert result["status"] == "measured", result
    assert result["rows"] == 40 and result["seconds"] >= 0
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
