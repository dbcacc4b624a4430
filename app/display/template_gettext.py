"""gettext for templates, as Flask-Babel installs it but without its cost per call.

A rendered event page translates about 60 texts. Flask-Babel's template callables look up
the request's Babel namespace, domain, locale and catalogue again for every one of them
(five context lookups), and Jinja's `_` goes through two more calls to reach them: together
about a sixth of the page's CPU. These keep the catalogue Flask-Babel gives for the
current locale in the request's `g`, checked against the locale object Flask-Babel holds,
so `force_locale` (mail rendered in the recipient's language inside a request) still
switches it; and `_` is gettext itself. The texts are the same
(tests/test_template_gettext.py); only the route to the catalogue is shorter.
"""

from flask import Flask, g
from flask_babel import get_translations
from jinja2 import pass_context
from markupsafe import Markup

KEPT = "_template_translations"  # g: (the locale object it is for, its catalogue)


def _translations():
    try:
        names = g.__dict__
    except RuntimeError:  # no app context: Flask-Babel's own answer (no translation)
        return get_translations()
    babel = names.get("_flask_babel")
    locale = getattr(babel, "babel_locale", None)
    kept = names.get(KEPT)
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()  # also selects the locale when none is yet
    names[KEPT] = (getattr(names.get("_flask_babel"), "babel_locale", None), translations)
    return translations


# The same as jinja2.ext's newstyle callables: marked safe when autoescaping, and always
# %-formatted, so a variable is escaped and a literal % must be written %%.
@pass_context
def gettext(context, string: str, **variables) -> str:
    text = _translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    if not variables and "%" not in text:
        return text  # what `% {}` would give, without Markup's formatting machinery
    return text % variables


@pass_context
def ngettext(context, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    text = _translations().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


@pass_context
def pgettext(context, string_context: str, string: str, **variables) -> str:
    variables.setdefault("context", string_context)
    text = _translations().upgettext(string_context, string)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


@pass_context
def npgettext(context, string_context: str, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("context", string_context)
    variables.setdefault("num", num)
    text = _translations().unpgettext(string_context, singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def install(app: Flask) -> None:
    """In place of the callables Flask-Babel installed (after babel.init_app)."""
    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext)
