"""Login sessions live on the server: logout, password change, deactivation, an admin's
"log out everywhere" and the user's own "log out that device" end them; they end by
themselves when idle or old; a copied cookie is worth nothing afterwards."""

from datetime import timedelta

from flask_login.utils import encode_cookie
from sqlalchemy import func, select

from app.extensions import db
from app.models import AccountSession, AuditEntry
from app.models.types import utcnow
from app.services.accounts import sessions, users
from tests.conftest import PASSWORD

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def session_rows(user=None) -> list[AccountSession]:
    query = select(AccountSession).order_by(AccountSession.id)
    if user is not None:
        query = query.where(AccountSession.user_id == user.id)
    return list(db.session.scalars(query))


def login(client, user, password=PASSWORD, **kwargs):
    response = client.post("/login", data={"email": user.email, "password": password}, **kwargs)
    assert response.status_code == 302 and response.headers["Location"] == "/manage/", response.status_code
    return response


def test_the_cookie_holds_only_a_random_token_stored_hashed(client, organiser):
    login(client, organiser, headers={"User-Agent": BROWSER})
    with client.session_transaction() as cookie:
        token = cookie["_user_id"]
    assert str(organiser.id) != token and len(token) >= 40
    [row] = session_rows()
    assert row.user_id == organiser.id and row.token_hash == sessions.hash_token(token) != token
    assert row.user_agent == "Chrome / Windows" and row.ip_address == "127.0.0.1"


def test_a_cookie_replayed_after_logout_does_not_work(client, app, organiser):
    login(client, organiser)
    saved = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    assert session_rows() == []
    other = app.test_client()
    other.set_cookie("session", saved)
    response = other.get("/manage/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_remember_me_cookie_cannot_bring_an_ended_session_back(client, app, organiser):
    """Flask-Login reads a remember cookie when there is no session; it names the same
    server-side session, so it obeys the same ends."""
    login(client, organiser)
    with client.session_transaction() as cookie:
        token = cookie["_user_id"]
    client.post("/logout")
    other = app.test_client()
    other.set_cookie("remember_token", encode_cookie(token))
    assert other.get("/manage/").status_code == 302


def test_an_idle_session_ends_after_the_idle_timeout(client, app, organiser):
    assert app.config["SESSION_IDLE_MINUTES"] == 30
    login(client, organiser)
    [row] = session_rows()
    row.last_seen_at = utcnow() - timedelta(minutes=29)
    db.session.commit()
    assert client.get("/manage/").status_code == 200  # and that request counts as activity
    row = session_rows()[0]
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)
    row.last_seen_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    response = client.get("/manage/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert session_rows() == []


def test_a_session_ends_after_its_absolute_lifetime_however_active(client, app, organiser):
    assert app.config["SESSION_MAX_HOURS"] == 12
    login(client, organiser)
    [row] = session_rows()
    row.created_at = utcnow() - timedelta(hours=12, minutes=1)
    db.session.commit()
    assert client.get("/manage/").status_code == 302


def test_the_idle_timeout_is_configurable(client, app, organiser):
    app.config["SESSION_IDLE_MINUTES"] = 5
    try:
        login(client, organiser)
        [row] = session_rows()
        row.last_seen_at = utcnow() - timedelta(minutes=6)
        db.session.commit()
        assert client.get("/manage/").status_code == 302
    finally:
        app.config["SESSION_IDLE_MINUTES"] = 30


def test_last_seen_is_written_at_most_once_a_minute(client, organiser, count_queries):
    login(client, organiser)
    with count_queries() as statements:
        for _ in range(3):
            assert client.get("/manage/").status_code == 200
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE ACCOUNT_SESSION")]
    [row] = session_rows()
    row.last_seen_at = utcnow() - timedelta(seconds=61)
    db.session.commit()
    with count_queries() as statements:
        client.get("/manage/")
        client.get("/manage/")
    assert len([s for s in statements if s.lstrip().upper().startswith("UPDATE ACCOUNT_SESSION")]) == 1


def test_a_user_sees_their_sessions_and_logs_out_another_device(app, organiser):
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, organiser, headers={"User-Agent": BROWSER})
    login(phone, organiser, headers={"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) Safari/604.1"})
    page = laptop.get("/account")
    body = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert "Chrome / Windows" in body and "Safari / iPhone" in body and "Den här enheten" in body
    phone_row = session_rows()[1]
    assert laptop.post(f"/account/sessions/{phone_row.id}/end").status_code == 302
    assert phone.get("/manage/").status_code == 302
    assert laptop.get("/manage/").status_code == 200


def test_a_user_cannot_end_someone_elses_session(app, organiser, make_user):
    other = make_user()
    mine, theirs = app.test_client(), app.test_client()
    login(mine, organiser)
    login(theirs, other)
    their_row = session_rows(other)[0]
    mine.post(f"/account/sessions/{their_row.id}/end")
    assert theirs.get("/manage/").status_code == 200


def test_log_out_all_other_devices(app, organiser):
    clients = [app.test_client() for _ in range(3)]
    for client in clients:
        login(client, organiser)
    response = clients[0].post("/account/sessions/end-others", follow_redirects=True)
    assert "2 andra enheter är utloggade." in response.get_data(as_text=True)
    assert [c.get("/manage/").status_code for c in clients] == [200, 302, 302]


def test_an_admin_logs_a_user_out_everywhere(app, client, auth, admin, organiser):
    devices = [app.test_client() for _ in range(2)]
    for device in devices:
        login(device, organiser)
    auth.login(admin)
    page = client.get(f"/admin/users/{organiser.id}").get_data(as_text=True)
    assert "Inloggad på 2 enheter." in page
    assert client.post(f"/admin/users/{organiser.id}/end-sessions").status_code == 302
    assert [d.get("/manage/").status_code for d in devices] == [302, 302]
    assert client.get("/manage/").status_code == 200  # the admin's own session stays
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.sessions_ended"))
    assert entry.actor_id == admin.id and entry.details == {"user_id": organiser.id, "sessions_ended": 2}


def test_ended_sessions_leave_the_table(organiser):
    old = sessions.start(organiser)
    row = session_rows()[0]
    row.last_seen_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    sessions.start(organiser)  # a new login clears the user's ended sessions
    assert [r.token_hash for r in session_rows()] != [sessions.hash_token(old)]
    assert len(session_rows()) == 1
    row = session_rows()[0]
    row.created_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert sessions.purge_expired() == 1
    assert db.session.scalar(select(func.count()).select_from(AccountSession)) == 0


def test_a_logged_in_user_never_gets_a_kept_page(app, client, organiser, make_event):
    event = make_event(title="Publicerat")
    anonymous = app.test_client()
    anonymous.get(f"/events/{event.id}")  # now kept
    login(client, organiser)
    body = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Logga ut" in body


def test_after_the_session_ends_the_visitor_is_anonymous_again(client, organiser, make_event):
    event = make_event()
    login(client, organiser)
    users.end_sessions(organiser, by=organiser)
    body = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Logga ut" not in body and "Logga in" in body
    with client.session_transaction() as cookie:
        assert "_user_id" not in cookie
