import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from config import ProductionConfig, normalise_database_url

ROOT = Path(__file__).resolve().parents[1]
GOOD_KEY = secrets.token_hex(32)


@pytest.fixture
def production_env(monkeypatch):
    """The environment production needs, with none of the database parts set."""
    for name in ("DATABASE_HOST", "DATABASE_PORT", "DATABASE_NAME", "DATABASE_USER", "DATABASE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/samverkan")
    return monkeypatch


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_required_settings(production_env, missing):
    production_env.delenv(missing)
    with pytest.raises(RuntimeError, match=missing):
        create_app(ProductionConfig)


def test_production_starts_with_its_settings_and_secure_cookies(production_env):
    app = create_app(ProductionConfig)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db/samverkan"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] == GOOD_KEY


def _env_example_value(name: str) -> str:
    for line in (ROOT / "deploy" / "env.example").read_text().splitlines():
        if line.startswith(f"{name}="):
            return line.partition("=")[2]
    raise AssertionError(f"{name} is not in deploy/env.example")


@pytest.mark.parametrize(
    "key",
    [
        "abc",
        "s3cret",
        "x" * 31,  # one short of the minimum
        "dev-only-not-secret",  # the development default
        "change-me-" + "0" * 40,
        "change-me-to-64-random-hex-characters",  # what env.example used to ship
        "a" * 64,  # long, but nobody drew it at random
        "replace-with-a-long-random-value-of-64-characters-please",
        "env.example",  # stands for the value deploy/env.example ships
    ],
)
def test_production_refuses_a_short_or_placeholder_secret_key(production_env, key):
    if key == "env.example":
        key = _env_example_value("SECRET_KEY")
    production_env.setenv("SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY") as refused:
        create_app(ProductionConfig)
    # The message says what to do, not only what is wrong.
    assert "python3 -c 'import secrets; print(secrets.token_hex(32))'" in str(refused.value)


@pytest.mark.parametrize("key", [secrets.token_hex(32), secrets.token_urlsafe(32), secrets.token_hex(16)])
def test_production_accepts_a_random_secret_key(production_env, key):
    production_env.setenv("SECRET_KEY", key)
    assert create_app(ProductionConfig).config["SECRET_KEY"] == key


HOSTILE_PASSWORD = "p@ss/w:rd#1%20?&=\\ 'ö\""


def test_database_url_is_built_from_parts_with_every_part_escaped(production_env):
    production_env.delenv("DATABASE_URL")
    production_env.setenv("DATABASE_HOST", "db")
    production_env.setenv("DATABASE_PORT", "5433")
    production_env.setenv("DATABASE_NAME", "samverkan")
    production_env.setenv("DATABASE_USER", "samverkan")
    production_env.setenv("DATABASE_PASSWORD", HOSTILE_PASSWORD)
    app = create_app(ProductionConfig)
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    assert (url.drivername, url.host, url.port, url.database, url.username) == (
        "postgresql+psycopg",
        "db",
        5433,
        "samverkan",
        "samverkan",
    )
    assert url.password == HOSTILE_PASSWORD
    # What the driver is handed, after SQLAlchemy parsed the URL.
    with app.app_context():
        args = db.engine.dialect.create_connect_args(url)[1]
    assert args["password"] == HOSTILE_PASSWORD and args["host"] == "db" and args["dbname"] == "samverkan"


def test_database_url_wins_over_the_parts(production_env):
    production_env.setenv("DATABASE_HOST", "elsewhere")
    assert create_app(ProductionConfig).config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db/samverkan"


def test_a_port_that_is_not_a_number_is_refused(production_env):
    production_env.delenv("DATABASE_URL")
    production_env.setenv("DATABASE_HOST", "db")
    production_env.setenv("DATABASE_PORT", "54x")
    with pytest.raises(RuntimeError, match="DATABASE_PORT"):
        create_app(ProductionConfig)


def test_compose_hands_the_password_over_as_a_part_not_inside_a_url():
    compose = (ROOT / "deploy" / "compose.yaml").read_text()
    assert "DATABASE_PASSWORD: ${POSTGRES_PASSWORD}" in compose
    assert not [line for line in compose.splitlines() if "DATABASE_URL" in line and "${" in line]


def test_unknown_config_name_is_refused(monkeypatch):
    monkeypatch.setenv("SAMVERKAN_CONFIG", "staging")
    with pytest.raises(RuntimeError, match="SAMVERKAN_CONFIG"):
        create_app()


def test_postgres_urls_use_psycopg_3():
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


# Names no database here has: should the refusal ever break, nothing real is dropped.
@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:5432/samverkan_production_nowhere",
        "postgres://postgres@127.0.0.1:5432/Samverkan",
        "sqlite:///{tmp}/samverkan.db",  # the folder's name (pytest's, with "test" in it) does not count
    ],
)
def test_the_suite_refuses_a_database_whose_name_does_not_say_test(tmp_path, url):
    url = url.format(tmp=tmp_path)
    env = {**os.environ, "TEST_DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_config.py", "-k", "psycopg_3"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 4, result.stdout + result.stderr
    assert "drops its schema" in result.stdout and "contains 'test'" in result.stdout, result.stdout
    assert not (tmp_path / "samverkan.db").exists()  # refused before anything was made
