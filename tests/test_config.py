import pytest

from app import create_app
from config import ProductionConfig, normalise_database_url


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_required_settings(monkeypatch, missing):
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/samverkan")
    monkeypatch.delenv(missing)
    with pytest.raises(RuntimeError, match=missing):
        create_app(ProductionConfig)


def test_production_starts_with_its_settings_and_secure_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/samverkan")
    app = create_app(ProductionConfig)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db/samverkan"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_unknown_config_name_is_refused(monkeypatch):
    monkeypatch.setenv("SAMVERKAN_CONFIG", "staging")
    with pytest.raises(RuntimeError, match="SAMVERKAN_CONFIG"):
        create_app()


def test_postgres_urls_use_psycopg_3():
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"
