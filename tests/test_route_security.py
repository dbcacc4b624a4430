"""Walks app.url_map, so every route — including ones added later — is checked:
state-changing routes need a CSRF token, organiser and admin routes need the
right person, and public routes never show drafts or participants' data."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import EventStatus, OutboxMessage
from app.services import registrations
from app.services.accounts import sessions
from app.services.registrations import RegistrationDetails
from tests.conftest import PASSWORD

PARAM = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")
# Every page here needs a login (an organiser's own account pages included).
PROTECTED_PREFIXES = ("/manage", "/admin", "/account")


def routes(app, method: str):
    for rule in app.url_map.iter_rules():
        if method in rule.methods and rule.endpoint != "static":
            yield rule


def fill(rule, values: dict) -> str:
    """A concrete URL: known parameters from `values`, others a harmless placeholder."""

    def value(match):
        converter, args, name = match.groups()
        if name in values:
            return str(values[name])
        if converter == "any":
            return args.split(",")[0].strip().strip("'\"")
        return "1" if converter == "int" else "x"

    return PARAM.sub(value, rule.rule)


@pytest.fixture
def world(make_user, make_event, organiser):
    """An event with an organiser, a participant, an agenda item and a mail; a draft; a stranger."""
    event = make_event(organisers=[organiser], capacity=10, title="Publicerat evenemang")
    draft = make_event(organisers=[organiser], status=EventStatus.DRAFT, title="Hemligt utkast 7f3a")
    registration = registrations.register(
        event,
        RegistrationDetails(
            name="Petra Personuppgift",
            email="petra.personuppgift@example.se",
            sector="municipality",
            organisation="Motala kommun",
            consent=True,
        ),
        locale="sv",
    ).registration
    message = db.session.scalars(select(OutboxMessage)).first()
    values = {
        "event_id": event.id,
        "registration_id": registration.id,
        "message_id": message.id,
        "attachment_id": message.attachments[0].id if message.attachments else 1,
        "user_id": organiser.id,
        "code": "05",
        "token": "not-a-real-token",
    }
    return {
        "event": event,
        "draft": draft,
        "registration": registration,
        "values": values,
        "stranger": make_user(name="Stranger"),
        "owner": organiser,
    }


def test_every_post_route_refuses_a_request_without_csrf_token(make_app, world, admin):
    app = make_app()
    client = app.test_client(csrf=False)
    with client.session_transaction() as session:  # logged in, so only the token is missing
        session["_user_id"] = sessions.start(admin)
        session["_fresh"] = True
    posts = list(routes(app, "POST"))
    assert len(posts) >= 15
    for rule in posts:
        response = client.post(fill(rule, world["values"]), data={"anything": "1"})
        assert response.status_code == 400, rule.rule


def test_every_organiser_and_admin_route_sends_anonymous_visitors_to_login(client, world):
    for method in ("GET", "POST"):
        for rule in routes(client.application, method):
            if rule.rule.startswith(PROTECTED_PREFIXES):
                response = client.open(fill(rule, world["values"]), method=method)
                assert response.status_code == 302, (method, rule.rule)
                assert "/login" in response.headers["Location"], rule.rule


def test_an_organiser_not_on_the_event_is_refused(client, auth, world):
    auth.login(world["stranger"])
    checked = 0
    for method in ("GET", "POST"):
        for rule in routes(client.application, method):
            if rule.rule.startswith("/manage/events/<int:event_id>"):
                response = client.open(fill(rule, world["values"]), method=method)
                assert response.status_code == 403, (method, rule.rule)
                checked += 1
            elif rule.rule.startswith("/manage/mail/<int:message_id>"):
                response = client.open(fill(rule, world["values"]), method=method)
                assert response.status_code in (403, 404), (method, rule.rule)
    assert checked >= 15


def test_organisers_are_refused_every_admin_route(client, auth, world):
    auth.login(world["stranger"])
    for method in ("GET", "POST"):
        for rule in routes(client.application, method):
            if rule.rule.startswith("/admin"):
                response = client.open(fill(rule, world["values"]), method=method)
                assert response.status_code == 403, (method, rule.rule)


def test_public_routes_never_show_drafts_or_participants(client, world):
    draft_values = {**world["values"], "event_id": world["draft"].id}
    personal = ("Petra Personuppgift", "petra.personuppgift@example.se", world["registration"].manage_token)
    checked = 0
    for rule in routes(client.application, "GET"):
        if rule.rule.startswith(PROTECTED_PREFIXES):
            continue
        for values in (world["values"], draft_values):
            response = client.get(fill(rule, values))
            body = response.get_data(as_text=True)
            assert response.status_code < 500, rule.rule
            assert "Hemligt utkast 7f3a" not in body, rule.rule
            for text in personal:
                assert text not in body, (rule.rule, text)
            checked += 1
        if "<int:event_id>" in rule.rule:
            assert client.get(fill(rule, draft_values)).status_code == 404, rule.rule
    assert checked >= 20


def protected_gets(app, values):
    for rule in routes(app, "GET"):
        if rule.rule.startswith(PROTECTED_PREFIXES) and "<token>" not in rule.rule:
            yield fill(rule, values)


def test_login_then_logout_ends_the_session_on_the_server(app, client, auth, world, admin):
    """The cookie kept from before the logout opens no organiser or admin page."""
    auth.login(admin, PASSWORD)
    assert client.get("/manage/").status_code == 200
    saved = client.get_cookie("session").value
    auth.logout()
    replayed = app.test_client()
    replayed.set_cookie("session", saved)
    urls = list(protected_gets(app, world["values"]))
    assert len(urls) >= 20
    for url in urls:
        response = replayed.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_an_idle_session_opens_no_organiser_page(app, client, auth, world, admin):
    from datetime import timedelta

    from app.models import AccountSession
    from app.models.types import utcnow

    auth.login(admin, PASSWORD)
    saved = client.get_cookie("session").value
    row = db.session.scalar(select(AccountSession))
    row.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.commit()
    for url in protected_gets(app, world["values"]):
        replayed = app.test_client()
        replayed.set_cookie("session", saved)
        response = replayed.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


# Public POSTs that change nothing worth limiting.
UNLIMITED_PUBLIC_POSTS = {"/logout"}


def test_every_public_form_is_rate_limited(make_app, world):
    import config
    from app.extensions import limiter

    class Limited(config.TestingConfig):
        def __init__(self):
            super().__init__()
            self.RATELIMIT_ENABLED = True
            self.PUBLIC_FORM_RATE_LIMIT = self.VISIT_REQUEST_RATE_LIMIT = self.LOGIN_RATE_LIMIT = "2 per minute"

    app = make_app(Limited)
    try:
        checked = 0
        for rule in routes(app, "POST"):
            if rule.rule.startswith(PROTECTED_PREFIXES) or rule.rule in UNLIMITED_PUBLIC_POSTS:
                continue
            client = app.test_client()
            url = fill(rule, world["values"])
            first = client.post(url, data={"email": "x0@example.se"})
            if first.status_code == 302 and "/login" in first.headers["Location"]:
                continue  # an organiser's form outside /manage (a region's step, its contacts)
            statuses = [client.post(url, data={"email": f"x{i}@example.se"}).status_code for i in (1, 2)]
            assert statuses[-1] == 429, (rule.rule, first.status_code, statuses)
            checked += 1
        assert checked >= 4
    finally:
        limiter.reset()
        limiter.enabled = False


def test_pages_with_personal_data_are_never_stored(client, auth, world, admin):
    """Organisers' pages, and every page a logged-in user gets, send no-store; so do the
    participant's own pages behind a personal link."""
    auth.login(admin)
    checked = 0
    for rule in routes(client.application, "GET"):
        if rule.rule.startswith(PROTECTED_PREFIXES):
            response = client.get(fill(rule, world["values"]))
            assert response.headers.get("Cache-Control") == "no-store", rule.rule
            checked += 1
    assert checked >= 40
    # A region's page shows organisers its contact people and visit requests.
    assert client.get("/regions/05").headers["Cache-Control"] == "no-store"
    auth.logout()
    token = world["registration"].manage_token
    for path in (f"/r/{token}", f"/r/{token}/cancel", f"/r/{token}/data.json"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    public = client.get(f"/events/{world['event'].id}")
    assert public.headers.get("Cache-Control") != "no-store"  # kept pages stay cacheable
