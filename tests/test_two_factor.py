"""The second factor: setting it up, logging in with it, recovery codes, replay, admins
requiring it and resetting it."""

import re
import urllib.parse
from datetime import timedelta

import pyotp
from sqlalchemy import select, text

from app.extensions import db
from app.models import AuditEntry, RecoveryCode
from app.models.types import utcnow
from app.services import settings
from app.services.accounts import two_factor
from tests.conftest import PASSWORD


def log_in(client, user, password=PASSWORD):
    return client.post("/login", data={"email": user.email, "password": password})


def enrol(user) -> tuple[pyotp.TOTP, list[str]]:
    """Set the second factor up through the service, as the page does; returns the app and the codes."""
    totp = pyotp.TOTP(two_factor.pending_secret(user))
    codes = two_factor.confirm(user, totp.now())
    assert codes is not None
    return totp, codes


def next_code(totp: pyotp.TOTP) -> str:
    """The code of the next 30-second step: setting up used the current one, which is
    never accepted again (and the step after is within the clock-drift window)."""
    return totp.at(utcnow() + timedelta(seconds=30))


def shown_secret(page: str) -> str:
    return re.search(r'id="totp-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def test_setting_up_shows_a_qr_code_and_the_key_once_and_confirms_a_first_code(client, organiser):
    log_in(client, organiser)
    page = client.get("/account/two-factor")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    secret = shown_secret(body)
    qr = re.search(r'<img src="(data:image/svg\+xml[^"]+)" alt="QR-kod', body).group(1)
    svg = urllib.parse.unquote(qr.split(",", 1)[1])
    assert svg.startswith("<svg") and "style" not in svg  # the CSP forbids inline styles
    assert 'autocomplete="one-time-code"' in body and 'inputmode="numeric"' in body
    # Reloading shows the same key until it is confirmed.
    assert shown_secret(client.get("/account/two-factor").get_data(as_text=True)) == secret

    wrong = client.post("/account/two-factor", data={"code": "123456"})
    assert wrong.status_code == 400 and "Koden stämmer inte." in wrong.get_data(as_text=True)
    done = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", done.get_data(as_text=True))
    assert len(codes) == 10 and done.headers["Cache-Control"] == "no-store"
    db.session.refresh(organiser)
    assert organiser.two_factor_enabled
    # Never shown again.
    assert client.get("/account/two-factor").status_code == 302
    assert secret not in client.get("/account").get_data(as_text=True)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.two_factor_enabled"))
    assert entry.actor_id == organiser.id


def test_the_secret_and_the_recovery_codes_are_not_stored_in_clear(organiser):
    totp, codes = enrol(organiser)
    stored = db.session.execute(text('SELECT totp_secret FROM "user" WHERE id = :id'), {"id": organiser.id}).scalar()
    assert totp.secret not in stored and len(stored) > 100
    hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(hashes) == 10
    assert not any(code.replace("-", "") in h or code in h for code in codes for h in hashes)


def test_login_asks_for_the_code_after_the_right_password_only(client, organiser):
    totp, _ = enrol(organiser)
    wrong = log_in(client, organiser, "wrong password")
    assert wrong.status_code == 200 and "Fel e-postadress eller lösenord." in wrong.get_data(as_text=True)
    assert client.get("/login/code").status_code == 302  # no second step without the password

    response = log_in(client, organiser)
    assert response.headers["Location"] == "/login/code"
    assert client.get("/manage/").status_code == 302  # not logged in yet
    assert client.post("/login/code", data={"code": "000000"}).status_code == 400
    done = client.post("/login/code", data={"code": next_code(totp)})
    assert done.status_code == 302 and done.headers["Location"] == "/manage/"
    assert client.get("/manage/").status_code == 200


def test_the_next_page_is_kept_through_the_second_step(client, organiser, make_event):
    totp, _ = enrol(organiser)
    client.post("/login?next=/manage/events/new", data={"email": organiser.email, "password": PASSWORD})
    assert client.post("/login/code", data={"code": next_code(totp)}).headers["Location"] == "/manage/events/new"


def test_a_code_cannot_be_used_twice(app, organiser):
    totp, _ = enrol(organiser)
    code = next_code(totp)
    first, second = app.test_client(), app.test_client()
    log_in(first, organiser)
    assert first.post("/login/code", data={"code": code}).status_code == 302
    log_in(second, organiser)
    assert second.post("/login/code", data={"code": code}).status_code == 400
    # Nor an older code of the window, once a newer one was used.
    assert second.post("/login/code", data={"code": totp.now()}).status_code == 400


def test_a_recovery_code_logs_in_once(app, organiser):
    _, codes = enrol(organiser)
    client = app.test_client()
    log_in(client, organiser)
    page = client.get("/login/recovery").get_data(as_text=True)
    assert 'autocomplete="off"' in page
    assert client.post("/login/recovery", data={"code": codes[3].upper()}).status_code == 302
    client.post("/logout")
    log_in(client, organiser)
    assert client.post("/login/recovery", data={"code": codes[3]}).status_code == 400
    assert client.post("/login/recovery", data={"code": codes[4]}).status_code == 302
    assert two_factor.recovery_codes_left(organiser) == 8
    assert "8 reservkoder finns kvar." in client.get("/account").get_data(as_text=True)


def test_the_second_step_expires(client, organiser):
    totp, _ = enrol(organiser)
    log_in(client, organiser)
    with client.session_transaction() as cookie:
        cookie["pending_login"] = {**cookie["pending_login"], "at": cookie["pending_login"]["at"] - 301}
    response = client.post("/login/code", data={"code": next_code(totp)})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/manage/").status_code == 302


def test_new_recovery_codes_replace_the_old_ones_and_need_the_password(client, organiser):
    _, old = enrol(organiser)
    client.post("/login/recovery", data={"code": old[0]})  # no pending login: nothing happens
    log_in(client, organiser)
    client.post("/login/recovery", data={"code": old[0]})
    refused = client.post("/account/two-factor/recovery-codes", data={"password": "wrong"})
    assert refused.status_code == 302
    assert two_factor.recovery_codes_left(organiser) == 9
    page = client.post("/account/two-factor/recovery-codes", data={"password": PASSWORD}).get_data(as_text=True)
    new = re.findall(r"<code>([a-z2-9-]{14})</code>", page)
    assert len(new) == 10 and not set(new) & set(old)
    assert two_factor.recovery_codes_left(organiser) == 10


def test_admins_can_require_a_second_factor_of_everyone(app, client, auth, admin, organiser, make_event):
    event = make_event(organisers=[organiser])
    auth.login(admin)
    page = client.get("/admin/security").get_data(as_text=True)
    assert organiser.email in page
    client.post("/admin/security", data={"require_two_factor": "y"})
    assert settings.two_factor_required()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "settings.two_factor_required"))
    assert entry.actor_id == admin.id and entry.details == {"required": True}
    # The admin, who has none either, is sent to set it up.
    assert client.get("/admin/users").headers["Location"] == "/account/two-factor"

    other = app.test_client()
    assert log_in(other, organiser).status_code == 302
    for url in ("/manage/", f"/manage/events/{event.id}", "/account", "/account/password", "/"):
        response = other.get(url)
        assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor", url
    assert other.post(f"/manage/events/{event.id}/publish").headers["Location"] == "/account/two-factor"
    page = other.get("/account/two-factor").get_data(as_text=True)
    assert "Alla konton måste logga in med tvåstegsverifiering." in page
    other.post("/account/two-factor", data={"code": pyotp.TOTP(shown_secret(page)).now()})
    assert other.get("/manage/").status_code == 200
    # Nor can it be turned off while it is required.
    other.post("/account/two-factor/remove", data={"password": PASSWORD})
    db.session.refresh(organiser)
    assert organiser.two_factor_enabled


def test_an_admin_resets_a_lost_second_factor(app, client, auth, admin, organiser):
    enrol(organiser)
    device = app.test_client()
    log_in(device, organiser)
    auth.login(admin)
    assert "Tvåstegsverifiering: på sedan" in client.get(f"/admin/users/{organiser.id}").get_data(as_text=True)
    client.post(f"/admin/users/{organiser.id}/reset-two-factor")
    db.session.refresh(organiser)
    assert not organiser.two_factor_enabled and organiser.totp_secret is None
    assert db.session.scalars(select(RecoveryCode)).all() == []
    assert device.get("/manage/").status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.two_factor_reset"))
    assert entry.actor_id == admin.id and entry.details == {"user_id": organiser.id}
    assert log_in(app.test_client(), organiser).headers["Location"] == "/manage/"


def test_organisers_cannot_reset_anyones_second_factor(client, auth, organiser, make_user):
    other = make_user()
    enrol(other)
    auth.login(organiser)
    assert client.post(f"/admin/users/{other.id}/reset-two-factor").status_code == 403
    db.session.refresh(other)
    assert other.two_factor_enabled


def test_a_user_turns_their_own_second_factor_off_with_their_password(client, organiser):
    totp, _ = enrol(organiser)
    log_in(client, organiser)
    client.post("/login/code", data={"code": next_code(totp)})
    client.post("/account/two-factor/remove", data={"password": "wrong"})
    db.session.refresh(organiser)
    assert organiser.two_factor_enabled
    client.post("/account/two-factor/remove", data={"password": PASSWORD})
    db.session.refresh(organiser)
    assert not organiser.two_factor_enabled
