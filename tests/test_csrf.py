"""Forms over https, as deployed: a POST must carry the form's CSRF token and come from
this site by its Origin (or, without one, its Referer). Pages with a personal link keep
it from other sites with `Referrer-Policy: same-origin`, which still lets their own
forms say where they come from (`no-referrer` made browsers send neither)."""

import re

import pytest

import config
from app.services import registrations
from tests.test_registrations import all_registrations, details, manage_path

HTTPS = "https://samverkan.example"


class BehindProxyConfig(config.TestingConfig):
    """As the README deploys it: one TLS-terminating proxy in front."""

    def __init__(self):
        super().__init__()
        self.PROXY_HOPS = 1


@pytest.fixture
def proxied(make_app):
    return make_app(BehindProxyConfig)


def _form_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_the_test_client_posts_the_token_the_pages_carry(client, make_event):
    event = make_event()
    page = client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert client.csrf_token() == _form_token(page)


@pytest.mark.parametrize(
    "headers, status",
    [
        ({"Origin": HTTPS}, 200),  # every browser's POST
        ({"Origin": "null", "Referer": HTTPS + "/events/1"}, 200),  # an older browser's
        ({"Referer": HTTPS + "/events/1/register"}, 200),  # no Origin, a Referer
        ({}, 400),  # neither over https
        ({"Origin": "https://evil.example"}, 400),  # another site
        ({"Origin": "http://samverkan.example"}, 400),  # the same host over http
        ({"Referer": "https://evil.example/samverkan.example/"}, 400),
    ],
)
def test_a_public_form_over_https_needs_a_token_and_this_sites_origin(proxied, make_event, headers, status):
    event = make_event()
    client = proxied.test_client(csrf=False)
    path = f"/events/{event.id}/register"
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "samverkan.example", "X-Forwarded-For": "192.0.2.7"}
    page = client.get(path, headers=forwarded)
    form = {
        "csrf_token": _form_token(page.get_data(as_text=True)),
        "name": "Anna Andersson",
        "email": "anna@example.se",
        "sector": "municipality",
        "consent": "y",
    }
    response = client.post(path, data=form, headers={**forwarded, **headers})
    assert response.status_code == status
    assert len(all_registrations()) == (1 if status == 200 else 0)
    if status == 400:
        assert "Formuläret hade gått ut" in response.get_data(as_text=True)


def test_the_personal_page_keeps_its_link_from_other_sites_and_its_forms_work_over_https(proxied, make_event):
    registration = registrations.register(make_event(), details(), locale="sv").registration
    client = proxied.test_client(csrf=False)
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "samverkan.example"}
    cancel = f"{manage_path(registration)}/cancel"
    page = client.get(cancel, headers=forwarded)
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    # What Chromium sends for this page's form under same-origin: Origin and the full Referer.
    response = client.post(
        cancel,
        data={"csrf_token": _form_token(page.get_data(as_text=True))},
        headers={**forwarded, "Origin": HTTPS, "Referer": HTTPS + cancel},
    )
    assert response.status_code == 302
    assert all_registrations()[0].status.value == "cancelled"


def test_a_token_from_another_session_is_refused(client, app, make_event):
    event = make_event()
    other = app.test_client()
    form = {
        "csrf_token": other.csrf_token(),
        "name": "Anna",
        "email": "anna@example.se",
        "sector": "municipality",
        "consent": "y",
    }
    assert client.post(f"/events/{event.id}/register", data=form).status_code == 400
    assert all_registrations() == []
