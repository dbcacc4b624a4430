"""Text people type: Markdown that the public sees as sanitised HTML, web addresses, and
email addresses as we store and compare them."""

import html
import re
from urllib.parse import urlsplit

import markdown
import nh3
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from app.services import ValidationError

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


def markdown_to_html(source: str) -> str:
    """Render Markdown and keep only harmless tags; raw HTML in the source is not trusted."""
    html = markdown.markdown(source or "", extensions=["extra", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


WEB_SCHEMES = ("http", "https")
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f\\]")


def is_web_address(value: str) -> bool:
    """An absolute http(s) address with a host: the only kind of link we store and show.

    `javascript:` and `data:` addresses (also dressed up as `javascript://host/%0a…`),
    spaces, control characters and backslashes, which browsers read in their own ways,
    are refused.
    """
    if not value or _UNSAFE_IN_URL.search(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def normalise_email(address: str) -> str:
    """The address as we store and compare it, or ValidationError if it cannot be an address."""
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None


# Plain text for calendars. The input is our own sanitised HTML (well-formed, quoted
# attributes), so regular expressions are enough, and fast enough for big feeds.
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
_BETWEEN_TAGS = re.compile(r">\s+<")
_LINE_END = re.compile(r"</(?:li|tr)>|<br\s*/?>", re.I)
_BLOCK_END = re.compile(r"</(?:p|h[2-4]|blockquote|pre|table|ul|ol)>|<hr\s*/?>", re.I)
_LIST_ITEM = re.compile(r"<li>", re.I)
_LINK = re.compile(
    r"""<a\s(?:[^>"']|"[^"]*"|'[^']*')*?href="([^"]*)"(?:[^>"']|"[^"]*"|'[^']*')*>(.*?)</a>""", re.I | re.S
)
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def _link_text(match: re.Match) -> str:
    address, label = html.unescape(match.group(1)), match.group(2)
    plain_label = html.unescape(_TAG.sub("", label)).strip()
    if address in (plain_label, f"mailto:{plain_label}"):
        return label
    return f"{label} ({html.escape(address, quote=False)})"


def html_to_text(source_html: str) -> str:
    """Plain text from the sanitised HTML `markdown_to_html` makes, for calendar
    DESCRIPTIONs: paragraphs apart by a blank line, list items on lines of their own."""
    if not source_html:
        return ""
    text = _BETWEEN_TAGS.sub("><", source_html)
    if "<a" in text:
        text = _LINK.sub(_link_text, text)
    text = _LIST_ITEM.sub("- ", text)
    text = _LINE_END.sub("\n", text)
    text = _BLOCK_END.sub("\n\n", text)
    text = html.unescape(_TAG.sub("", text))
    return _BLANK_LINES.sub("\n\n", text).strip()
