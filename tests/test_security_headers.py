"""Every answer carries the headers that keep pages from being framed, sniffed or injected."""

import os
import pathlib
import re
import secrets

import pytest

import config
from app.extensions import limiter
from tests.conftest import require_redis

PAGES = ["/", "/events/archive", "/regions/", "/regions/05", "/login", "/api/v1/regions", "/healthz", "/nowhere"]


@pytest.mark.parametrize("url", PAGES)
def test_security_headers_on_every_kind_of_page(client, url):
    headers = client.get(url).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("same-origin", "same-origin")
    assert "Strict-Transport-Security" not in headers  # plain http here


def test_hsts_when_served_over_https(client):
    headers = client.get("/", base_url="https://samverkan.example").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=")


def test_no_inline_scripts_or_styles_in_pages(client, make_event):
    event = make_event()
    for url in ["/", f"/events/{event.id}", "/regions/05", "/login"]:
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and "<script " not in page.replace("<script src=", "")
        assert " style=" not in page and "<style" not in page


def test_session_cookie_is_httponly_and_lax(client, auth, organiser):
    response = auth.login(organiser)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_trusts_one_proxy_for_https(monkeypatch, make_app):
    monkeypatch.setenv("SECRET_KEY", secrets.token_hex(32))
    monkeypatch.setenv("DATABASE_URL", os.environ["TEST_DATABASE_URL"])
    app = make_app(config.ProductionConfig)
    response = app.test_client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers


class RedisLimitedConfig(config.TestingConfig):
    def __init__(self):
        super().__init__()
        self.RATELIMIT_ENABLED = True
        self.RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/15"


def test_rate_limits_are_kept_in_redis_when_configured(make_app, make_user):
    """With REDIS_URL, login counters live in Redis, where every app server sees them."""
    require_redis("rate limits shared by every app server")
    import redis

    store = redis.Redis(host="127.0.0.1", port=6379, db=15)
    store.flushdb()
    user = make_user()
    app = make_app(RedisLimitedConfig)
    try:
        for _ in range(5):
            response = app.test_client().post("/login", data={"email": user.email, "password": "wrong"})
            assert response.status_code == 200
        # Counted per account under a hash of the address: Redis holds no addresses in clear.
        from app.auth.throttle import account_key

        keys = store.keys("*")
        assert any(account_key(user.email).encode() in key for key in keys)
        assert not any(user.email.encode() in key for key in keys)
        response = app.test_client().post("/login", data={"email": user.email, "password": "wrong"})
        assert response.status_code == 429
        store.flushdb()  # as if another server reset the shared counters
        response = app.test_client().post("/login", data={"email": user.email, "password": "wrong"})
        assert response.status_code == 200
    finally:
        store.flushdb()
        store.close()
        limiter.reset()
        limiter.enabled = False


def test_no_page_template_relies_on_inline_style_or_script():
    """The CSP refuses inline styles and scripts, so a page template must not carry any:
    the browser would drop them silently. Mail templates are exempt (mail clients need them)."""
    offenders = []
    for path in pathlib.Path("templates").rglob("*.html"):
        if "email" in path.parts:
            continue
        text = path.read_text()
        if re.search(r"\sstyle=", text) or re.search(r"<script(?![^>]*\bsrc=)", text):
            offenders.append(str(path))
    assert offenders == []
