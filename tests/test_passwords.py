"""Password rules everywhere a password is chosen; changing one's own password; choosing
a new one through a mailed link."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry, OutboxMessage, PasswordReset, User
from app.models.types import utcnow
from app.services import ValidationError
from app.services.accounts import passwords, users
from tests.conftest import PASSWORD

WEAK = [
    "1234567890",
    "password12",
    "aaaaaaaaaa",  # accepted before: 10 characters were enough
    "123456789012",
    "password1234",
    "aaaaaaaaaaaa",
    "abcabcabcabc",
    "qwertyuiop12",
    "iloveyou1234",
    "Password1234!",
    "abcdefghijkl",
]
STRONG = ["correct horse battery", "kanelbulle-fika-2024", "Tr0ub4dor&3 and more"]


@pytest.mark.parametrize("password", WEAK)
def test_common_short_repeated_and_sequential_passwords_are_refused(password):
    assert passwords.problem(password) is not None


@pytest.mark.parametrize("password", STRONG)
def test_long_uncommon_passwords_are_accepted(password):
    assert passwords.problem(password) is None


def test_passwords_based_on_the_users_name_or_address_are_refused():
    for password in ("olga.organiser1", "OlgaOrganiser2024", "organiser@region"):
        assert passwords.problem(password, email="olga.organiser@region.se", name="Olga Organiser") is not None
    assert passwords.problem("olga.organiser1") is None  # someone else may use it


def test_a_very_long_password_is_analysed_without_delay():
    assert passwords.problem("x" * 129) is not None
    assert passwords.problem("correct horse battery " * 5) is None  # 110 characters, past zxcvbn's 72


@pytest.mark.parametrize("password", ["password1234", "short"])
def test_every_way_to_choose_a_password_applies_the_rules(password, organiser, admin, runner):
    with pytest.raises(ValidationError):
        users.create_user("ny@example.se", "Ny", password)
    with pytest.raises(ValidationError):
        users.update_user(
            organiser,
            name=organiser.name,
            role=organiser.role,
            region=None,
            active=True,
            new_password=password,
            by=admin,
        )
    with pytest.raises(ValidationError):
        users.change_own_password(organiser, PASSWORD, password, keep_token=None)
    result = runner.invoke(args=["create-user", "--email", "cli@example.se", "--name", "Cli", "--password", password])
    assert result.exit_code != 0
    assert (
        db.session.scalar(
            select(func.count()).select_from(User).where(User.email != organiser.email, User.email != admin.email)
        )
        == 0
    )


def test_the_cli_tells_the_rules():
    from app.cli import create_user

    help_text = " ".join(p.help or "" for p in create_user.params)
    assert "At least 12 characters" in help_text


def test_the_admin_form_explains_a_refused_password(client, auth, admin):
    auth.login(admin)
    response = client.post(
        "/admin/users/new",
        data={
            "email": "ny@example.se",
            "name": "Ny Arrangör",
            "role": "organiser",
            "password": "password1234",
        },
    )
    assert response.status_code == 400
    assert "Lösenordet finns bland de vanligaste eller läckta lösenorden." in response.get_data(as_text=True)


# Changing one's own password.


def test_changing_ones_password_needs_the_current_one_and_logs_out_other_devices(app, organiser):
    here, elsewhere = app.test_client(), app.test_client()
    for client in (here, elsewhere):
        client.post("/login", data={"email": organiser.email, "password": PASSWORD})
    page = here.get("/account/password").get_data(as_text=True)
    assert 'autocomplete="current-password"' in page and 'autocomplete="new-password"' in page

    wrong = here.post("/account/password", data={"current_password": "not it", "new_password": "kanelbulle-fika-2024"})
    assert wrong.status_code == 400 and "Det är inte ditt nuvarande lösenord." in wrong.get_data(as_text=True)
    weak = here.post("/account/password", data={"current_password": PASSWORD, "new_password": "password1234"})
    assert weak.status_code == 400 and "Rätta de markerade fälten." in weak.get_data(as_text=True)

    done = here.post("/account/password", data={"current_password": PASSWORD, "new_password": "kanelbulle-fika-2024"})
    assert done.status_code == 302
    assert here.get("/manage/").status_code == 200
    assert elsewhere.get("/manage/").status_code == 302
    assert organiser.check_password("kanelbulle-fika-2024")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.password_changed"))
    assert entry.actor_id == organiser.id and entry.details["sessions_ended"] == 1


# Forgot password.


def reset_link(message: OutboxMessage) -> str:
    return re.search(r"http://localhost(/reset-password/[\w-]+)", message.body_text).group(1)


def test_the_answer_is_the_same_whether_the_address_has_an_account(client, organiser):
    known = client.post("/forgot-password", data={"email": organiser.email}, follow_redirects=True)
    unknown = client.post("/forgot-password", data={"email": "nobody@example.se"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: re.sub(r'name="csrf_token"[^>]*', "", r.get_data(as_text=True))  # noqa: E731
    assert strip(known) == strip(unknown)
    assert "Om det finns ett konto med den adressen" in strip(known)
    assert [m.recipient for m in db.session.scalars(select(OutboxMessage))] == [organiser.email]


def test_a_reset_link_works_once_and_ends_every_session(app, client, organiser):
    logged_in = app.test_client()
    logged_in.post("/login", data={"email": organiser.email, "password": PASSWORD})
    client.post("/forgot-password", data={"email": organiser.email})
    message = db.session.scalar(select(OutboxMessage))
    assert message.template == "password_reset" and "60 minuter" in message.body_text
    path = reset_link(message)
    token = path.rsplit("/", 1)[1]
    # Stored only as a hash.
    reset = db.session.scalar(select(PasswordReset))
    assert reset.token_hash != token and token not in reset.token_hash

    page = client.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert client.post(path, data={"password": "password1234"}).status_code == 400
    assert client.post(path, data={"password": "fika under the old oak tree"}).status_code == 302
    assert logged_in.get("/manage/").status_code == 302
    assert (
        client.post("/login", data={"email": organiser.email, "password": "fika under the old oak tree"}).headers[
            "Location"
        ]
        == "/manage/"
    )
    client.post("/logout")
    # Used: the link is dead.
    assert client.get(path).status_code == 404
    assert client.post(path, data={"password": "another fine long passphrase"}).status_code == 404
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"account.password_reset_requested", "account.password_reset"} <= actions


def test_a_reset_link_expires_and_only_the_newest_works(client, organiser):
    client.post("/forgot-password", data={"email": organiser.email})
    first = reset_link(db.session.scalar(select(OutboxMessage)))
    client.post("/forgot-password", data={"email": organiser.email})
    second = reset_link(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first())
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    reset = db.session.scalar(select(PasswordReset))
    reset.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get(second)
    assert response.status_code == 404 and "Länken fungerar inte längre" in response.get_data(as_text=True)


def test_a_deactivated_account_gets_no_reset_mail(client, make_user):
    user = make_user(active=False)
    client.post("/forgot-password", data={"email": user.email})
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_reset_requests_are_rate_limited_per_address_asked_for(limited_app, organiser):
    statuses = [
        limited_app.test_client()
        .post("/forgot-password", data={"email": organiser.email}, environ_base={"REMOTE_ADDR": f"203.0.113.{n}"})
        .status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3


def test_the_login_page_links_to_forgot_password(client):
    body = client.get("/login").get_data(as_text=True)
    assert 'href="/forgot-password"' in body and 'autocomplete="current-password"' in body


def test_purge_personal_data_removes_ended_sessions_and_old_reset_links(runner, client, organiser):
    from app.models import AccountSession
    from app.services.accounts import sessions

    sessions.start(organiser)
    row = db.session.scalar(select(AccountSession))
    row.last_seen_at = utcnow() - timedelta(hours=1)
    client.post("/forgot-password", data={"email": organiser.email})
    db.session.scalar(select(PasswordReset)).expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = runner.invoke(args=["purge-personal-data"])
    assert "Removed 1 ended login sessions and 1 used or expired password-reset links." in result.output
    assert db.session.scalar(select(func.count()).select_from(AccountSession)) == 0
    assert db.session.scalar(select(func.count()).select_from(PasswordReset)) == 0


def test_the_account_holder_is_told_by_mail_when_how_they_log_in_changes(client, organiser, admin):
    import pyotp

    from app.services.accounts import two_factor

    users.change_own_password(organiser, PASSWORD, "kanelbulle-fika-2024", keep_token=None)
    users.update_user(
        organiser,
        name=organiser.name,
        role=organiser.role,
        region=None,
        active=True,
        new_password="fika under the old oak tree",
        by=admin,
    )
    two_factor.confirm(organiser, pyotp.TOTP(two_factor.pending_secret(organiser)).now())
    two_factor.remove(organiser, by=admin)
    notices = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "account_changed").order_by(OutboxMessage.id)
    ).all()
    assert {m.recipient for m in notices} == {organiser.email}
    assert [m.body_text.split("\n")[2] for m in notices] == [
        "Ditt lösenord byttes.",
        "En administratör angav ett nytt lösenord för ditt konto.",
        "Tvåstegsverifiering (en autentiseringsapp) ställdes in för ditt konto.",
        "En administratör återställde tvåstegsverifieringen för ditt konto.",
    ]
    assert "http://localhost/forgot-password" in notices[0].body_text
