"""Logging in and out, throttling, and who may open which page."""

import re

import pytest
from flask import Flask
from sqlalchemy import func, select

import config
from app.extensions import db
from app.models import AccountSession
from app.services.accounts import users
from tests.conftest import PASSWORD


def text(response) -> str:
    return response.get_data(as_text=True)


def test_login_and_logout(client, auth, organiser):
    response = auth.login(organiser)
    assert response.status_code == 302 and response.headers["Location"] == "/manage/"
    assert client.get("/manage/").status_code == 200
    auth.logout()
    assert client.get("/manage/").status_code == 302


@pytest.mark.parametrize("email, password", [("olga@example.se", "wrong"), ("nobody@example.se", PASSWORD)])
def test_failed_login_gives_one_generic_message(client, make_user, email, password):
    make_user(email="olga@example.se")
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord." in text(response)
    assert client.get("/manage/").status_code == 302


def test_deactivated_user_cannot_log_in(client, auth, make_user):
    user = make_user(active=False)
    auth.login(user)
    assert client.get("/manage/").status_code == 302


def test_next_is_followed_only_within_the_site(client, organiser):
    data = {"email": organiser.email, "password": PASSWORD}
    response = client.post("/login?next=/manage/events/new", data=data)
    assert response.headers["Location"] == "/manage/events/new"
    client.post("/logout")
    response = client.post("/login?next=https://evil.example/", data=data)
    assert response.headers["Location"] == "/manage/"


def test_an_admin_setting_a_new_password_ends_the_users_sessions(client, auth, organiser, admin):
    auth.login(organiser)
    users.update_user(
        organiser,
        name=organiser.name,
        role=organiser.role,
        region=None,
        active=True,
        new_password="a brand new password",
        by=admin,
    )
    assert client.get("/manage/").status_code == 302
    assert auth.login(organiser, "a brand new password").headers["Location"] == "/manage/"


def test_deactivating_a_user_ends_their_sessions(client, auth, organiser, admin):
    auth.login(organiser)
    users.update_user(organiser, name=organiser.name, role=organiser.role, region=None, active=False, by=admin)
    assert client.get("/manage/").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(AccountSession)) == 0


def test_passwords_are_hashed_with_scrypt_outside_the_tests(app, organiser):
    """The suite hashes cheaply (TestingConfig); every other configuration keeps scrypt."""
    assert config.Config().PASSWORD_HASH_METHOD == config.DevelopmentConfig().PASSWORD_HASH_METHOD == "scrypt"
    assert organiser.password_hash.startswith("pbkdf2:sha256:1000$")
    saved = app.config["PASSWORD_HASH_METHOD"]
    app.config["PASSWORD_HASH_METHOD"] = config.Config().PASSWORD_HASH_METHOD
    try:
        organiser.set_password(PASSWORD)
    finally:
        app.config["PASSWORD_HASH_METHOD"] = saved
    assert organiser.password_hash.startswith("scrypt:")
    assert organiser.check_password(PASSWORD)


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/manage/events/new")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def organiser_and_admin_rules(app: Flask):
    """Every GET route under /manage and /admin, with placeholder ids."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/manage", "/admin")) and "GET" in rule.methods:
            url = (
                rule.rule.replace("<int:event_id>", "{event}")
                .replace("<int:user_id>", "{user}")
                .replace("<int:item_id>", "{item}")
            )
            # A choice of words (<any(waitlist, cancel):action>): the first.
            url = re.sub(r"<any\(\s*([^,)\s]+)[^)]*\):\w+>", r"\1", url)
            # Other ids (a message, a registration): any number reaches the login check.
            yield re.sub(r"<int:\w+>", "1", url)


def test_every_organiser_and_admin_page_needs_login(client, make_event, organiser):
    event = make_event(organisers=[organiser])
    urls = list(organiser_and_admin_rules(client.application))
    assert len(urls) >= 6
    for url in urls:
        response = client.get(url.format(event=event.id, user=organiser.id, item=1))
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"], url


def test_organisers_cannot_open_admin_pages(client, auth, organiser):
    auth.login(organiser)
    for url in organiser_and_admin_rules(client.application):
        if url.startswith("/admin"):
            assert client.get(url.format(user=organiser.id, item=1)).status_code == 403, url


def test_state_changing_forms_refuse_a_missing_csrf_token(make_app, make_user, make_event):
    app = make_app()
    client = app.test_client(csrf=False)
    with app.app_context():
        user = make_user()
        event = make_event(organisers=[user])
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 400
        assert client.post(f"/manage/events/{event.id}/publish").status_code in (302, 400)


def test_public_registration_is_rate_limited(limited_app, make_event):
    event = make_event()
    limited_app.config["PUBLIC_FORM_RATE_LIMIT"] = "3 per minute"
    client = limited_app.test_client()
    statuses = [client.post(f"/events/{event.id}/register", data={"name": ""}).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert "För många försök" in client.post(f"/events/{event.id}/register").get_data(as_text=True)
