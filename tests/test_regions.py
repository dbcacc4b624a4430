"""Organisers record a region's step in the five-step model; the history stays."""

from sqlalchemy import select

from app.extensions import db
from app.models import RegionStepRecord


def test_organiser_records_a_step(client, auth, organiser):
    auth.login(organiser)
    response = client.post("/regions/07/steps", data={"step_number": "2", "recorded_on": "2019-02-12", "note": "Uppstart"})
    assert response.status_code == 302
    record = db.session.scalars(select(RegionStepRecord)).one()
    assert record.region.code == "07" and record.step_number == 2 and record.recorded_by == organiser


def test_bad_step_input_is_refused(client, auth, organiser):
    auth.login(organiser)
    for data in (
        {"step_number": "9", "recorded_on": "2019-02-12"},
        {"step_number": "2", "recorded_on": "12/02/2019"},
        {"step_number": "2", "recorded_on": "2999-01-01"},
        {"step_number": "x", "recorded_on": ""},
    ):
        response = client.post("/regions/07/steps", data=data)
        assert response.status_code == 400, data
    assert db.session.scalars(select(RegionStepRecord)).all() == []


def test_anonymous_cannot_record_steps(client):
    response = client.post("/regions/07/steps", data={"step_number": "2", "recorded_on": "2019-02-12"})
    assert response.status_code == 302
    assert db.session.scalars(select(RegionStepRecord)).all() == []
