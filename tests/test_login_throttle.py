"""Guessing is throttled, but a stranger cannot lock an organiser out (app/auth/throttle.py).
Rate limits are on here, as in production, with the default limits."""

import re

import pyotp

from app.services.accounts import two_factor
from tests.conftest import PASSWORD


def attempt(client, user_or_email, password, address):
    email = getattr(user_or_email, "email", user_or_email)
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def test_failures_from_five_addresses_do_not_stop_the_right_password_from_a_sixth(limited_app, organiser):
    """What used to lock the account for 15 minutes, even with the right password."""
    for n in range(5):
        assert attempt(limited_app.test_client(), organiser, "wrong", f"203.0.113.{n}").status_code == 200
    response = attempt(limited_app.test_client(), organiser, PASSWORD, "203.0.113.6")
    assert response.status_code == 302 and response.headers["Location"] == "/manage/"


def test_rapid_failures_from_one_address_are_throttled_and_the_wait_is_told(limited_app, organiser):
    client = limited_app.test_client()
    responses = [attempt(client, organiser, "wrong", "198.51.100.7") for _ in range(9)]
    assert [r.status_code for r in responses] == [200] * 5 + [429] * 4
    assert 800 <= int(responses[5].headers["Retry-After"]) <= 900
    assert "För många försök. Vänta 15 minuter och försök igen." in responses[5].get_data(as_text=True)
    refused = attempt(client, organiser, PASSWORD, "198.51.100.7")  # the right password waits too
    assert refused.status_code == 429
    # The organiser, elsewhere, is not affected.
    assert attempt(limited_app.test_client(), organiser, PASSWORD, "192.0.2.1").status_code == 302


def test_unknown_addresses_are_throttled_alike(limited_app, organiser):
    """The limits count the address typed, account or not: the answers reveal no accounts."""
    client = limited_app.test_client()
    statuses = [attempt(client, "nobody@example.se", "wrong", "198.51.100.8").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_a_known_device_still_logs_in_while_the_account_is_under_attack(limited_app, organiser):
    own_browser = limited_app.test_client()
    assert attempt(own_browser, organiser, PASSWORD, "192.0.2.10").status_code == 302
    own_browser.post("/logout")
    for n in range(20):  # the account's limit for unknown devices (20 per hour)
        attempt(limited_app.test_client(), organiser, "wrong", f"203.0.113.{n}")
    refused = attempt(limited_app.test_client(), organiser, PASSWORD, "203.0.113.200")
    assert refused.status_code == 429
    assert "från okända enheter" in refused.get_data(as_text=True)
    # From the organiser's own browser, wherever it is now.
    assert attempt(own_browser, organiser, PASSWORD, "192.0.2.99").status_code == 302


def test_a_password_reset_by_mail_makes_a_new_browser_known(limited_app, organiser):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import OutboxMessage

    for n in range(20):
        attempt(limited_app.test_client(), organiser, "wrong", f"203.0.113.{n}")
    new_laptop = limited_app.test_client()
    assert attempt(new_laptop, organiser, PASSWORD, "192.0.2.50").status_code == 429
    new_laptop.post("/forgot-password", data={"email": organiser.email}, environ_base={"REMOTE_ADDR": "192.0.2.50"})
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "password_reset"))
    path = re.search(r"http://localhost(/reset-password/\S+)", message.body_text).group(1)
    response = new_laptop.post(
        path, data={"password": "fika under the old oak tree"}, environ_base={"REMOTE_ADDR": "192.0.2.50"}
    )
    assert response.status_code == 302
    assert attempt(new_laptop, organiser, "fika under the old oak tree", "192.0.2.50").status_code == 302


def test_failures_from_a_known_device_count_against_that_device(limited_app, organiser):
    """A stolen laptop that knows the account may guess no faster than anyone else."""
    laptop = limited_app.test_client()
    attempt(laptop, organiser, PASSWORD, "192.0.2.10")
    laptop.post("/logout")
    statuses = [attempt(laptop, organiser, "wrong", f"192.0.2.{20 + n}").status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]


def test_second_factor_codes_are_throttled_per_account(limited_app, make_user):
    user = make_user()
    secret = two_factor.pending_secret(user)
    assert two_factor.confirm(user, pyotp.TOTP(secret).now()) is not None
    client = limited_app.test_client()
    assert attempt(client, user, PASSWORD, "192.0.2.10").headers["Location"] == "/login/code"
    statuses = [client.post("/login/code", data={"code": "000000"}).status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    # Recovery codes share the limit: the second step is one door.
    assert client.post("/login/recovery", data={"code": "abcd-efgh-jkmn"}).status_code == 429


def test_login_posts_from_one_address_are_limited_over_all_accounts(limited_app, make_user):
    client = limited_app.test_client()
    statuses = [attempt(client, f"person{n}@example.se", "wrong", "198.51.100.9").status_code for n in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
