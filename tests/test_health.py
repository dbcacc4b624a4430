def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_says_unavailable_when_the_database_cannot_be_reached(monkeypatch, tmp_path):
    import config
    from app import create_app

    monkeypatch.setenv("TEST_DATABASE_URL", f"sqlite:///{tmp_path}/missing/dir/db.sqlite")
    broken = create_app(config.TestingConfig)
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"
