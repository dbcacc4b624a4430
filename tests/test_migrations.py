"""The migrations build exactly the models, and seed the regions and the five steps."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from app.extensions import db
from app.models import CollaborationStep, Region

COUNTY_CODES = {
    "01": "Stockholm",
    "03": "Uppsala",
    "04": "Södermanland",
    "05": "Östergötland",
    "06": "Jönköping",
    "07": "Kronoberg",
    "08": "Kalmar",
    "09": "Gotland",
    "10": "Blekinge",
    "12": "Skåne",
    "13": "Halland",
    "14": "Västra Götaland",
    "17": "Värmland",
    "18": "Örebro",
    "19": "Västmanland",
    "20": "Dalarna",
    "21": "Gävleborg",
    "22": "Västernorrland",
    "23": "Jämtland Härjedalen",
    "24": "Västerbotten",
    "25": "Norrbotten",
}


def test_upgrade_gives_exactly_the_models():
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_21_regions_have_their_official_county_codes():
    regions = db.session.scalars(select(Region)).all()
    assert {region.code: region.name for region in regions} == COUNTY_CODES


def test_the_five_steps_have_default_names_in_both_languages():
    steps = db.session.scalars(select(CollaborationStep).order_by(CollaborationStep.number)).all()
    assert [step.number for step in steps] == [1, 2, 3, 4, 5]
    assert steps[0].name_sv == "Kartlägga aktörer och behov"
    assert steps[4].name_en == "Follow up and improve"
