"""The templates' gettext (app/display/template_gettext.py) gives exactly the texts
Flask-Babel's own template callables give: in both languages, with variables escaped, in
plural and with context, and in the other language inside `force_locale` (mail)."""

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, get_translations
from jinja2.ext import _gettext_alias

from app.display import template_gettext

TEMPLATE = """\
{{ _("Parallel sessions") }}|{{ gettext("Day %(n)d", n=2) }}
|{{ _("Overlaps with “%(title)s” (%(start)s–%(end)s) in %(room)s.", title="<b>Tal</b>", start="9", end="10",
  room="A & B") }}
|{{ ngettext("%(num)d answer", "%(num)d answers", 1) }}|{{ ngettext("%(hours)s hour", "%(hours)s hours", 3, hours=3) }}
|{{ pgettext("certificate", "Date") }}|{{ npgettext("certificate", "Date", "Dates", 2) }}
|{% trans n=4 %}Day {{ n }}{% endtrans %}
|{% trans count=2 %}{{ count }} answer{% pluralize %}{{ count }} answers{% endtrans %}
|{{ _("A text no catalogue has, 100%% plain") }}"""


@pytest.fixture
def stock(make_app):
    """An app with the callables Flask-Babel installs, as they were before."""
    other = make_app()
    other.jinja_env.install_gettext_callables(
        gettext=lambda s: get_translations().ugettext(s),
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
    )
    other.jinja_env.globals["_"] = _gettext_alias
    assert other.jinja_env.globals["gettext"] is not template_gettext.gettext
    return other


def rendered(app, language: str) -> str:
    with app.test_request_context(headers={"Cookie": f"lang={language}"}):
        return app.jinja_env.from_string(TEMPLATE).render()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_same_texts_as_flask_babel_gives(app, stock, language):
    assert app.jinja_env.globals["_"] is template_gettext.gettext
    fast, slow = rendered(app, language), rendered(stock, language)
    assert fast == slow
    if language == "sv":
        assert "Parallella pass" in fast and "&lt;b&gt;Tal&lt;/b&gt;" in fast and "A &amp; B" in fast
        assert "3 timmar" in fast and "Datum" in fast
    else:
        assert "Parallel sessions" in fast


def test_force_locale_switches_and_switches_back(app):
    with app.test_request_context(headers={"Cookie": "lang=sv"}):
        template = app.jinja_env.from_string('{{ _("Parallel sessions") }}')
        assert template.render() == "Parallella pass"
        with force_locale("en"):
            assert template.render() == "Parallel sessions"
        assert template.render() == "Parallella pass"


def normalised(body: bytes) -> str:
    # The only difference two apps may show: each form's own CSRF token.
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", body.decode())


@pytest.mark.parametrize("language", ["sv", "en"])
def test_whole_pages_are_the_same(app, stock, make_event, make_item, language):
    event = make_event(capacity=30, title="Sidan i två versioner")
    make_item(
        event,
        "Inledning",
        event.starts_at,
        event.starts_at + timedelta(hours=1),
        speakers=[("Ann", "", "")],
    )
    paths = ["/", f"/events/{event.id}", f"/events/{event.id}/agenda", f"/events/{event.id}/register", "/regions/05"]
    for path in paths:
        ours = app.test_client().get(path, headers={"Cookie": f"lang={language}"})
        theirs = stock.test_client().get(path, headers={"Cookie": f"lang={language}"})
        assert ours.status_code == theirs.status_code == 200, path
        assert normalised(ours.data) == normalised(theirs.data), path
