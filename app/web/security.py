"""Response headers that keep pages from being framed, sniffed, leaked or injected."""

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import limiter

# No inline scripts or styles anywhere: everything comes from /static.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    # Our own address goes only to our own pages (a form's POST needs it over https, see
    # require_same_origin); other sites get no Referer, so a personal link never leaks.
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    # Each header unless the view set its own; one pass over the headers, not one per header.
    present = {name.lower() for name, _ in headers}
    wanted = SECURITY_HEADERS + (HSTS,) if request.is_secure else SECURITY_HEADERS
    headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
    if request.blueprint in PRIVATE_BLUEPRINTS or _logged_in():
        # Participants' names, needs and addresses: never kept by a browser or a proxy.
        headers["Cache-Control"] = "no-store"
    elif request.blueprint in PERSONAL_LINK_BLUEPRINTS:
        keep_link_private(response)
    return response


# Organisers' and admins' pages.
PRIVATE_BLUEPRINTS = frozenset({"manage", "admin", "auth"})
# Pages whose address is a personal link (a registration, an invitation, a survey, a visit
# request's status), and the public forms beside them; auth marks its own (keep_link_private).
PERSONAL_LINK_BLUEPRINTS = frozenset({"registrations", "invitations", "feedback", "visits"})


def _logged_in() -> bool:
    # Only when the request already loaded its user: a static file never looks it up.
    user = g.get("_login_user")
    return user is not None and user.is_authenticated


def keep_link_private(response: Response) -> Response:
    """For pages whose address is a personal link: never kept by a browser or proxy.

    Their Referrer-Policy stays `same-origin`: other sites never see the link, while the
    page's own forms still send the Origin and Referer that the CSRF check needs over
    https (`no-referrer` made browsers send `Origin: null` and no Referer at all).
    """
    response.headers["Cache-Control"] = "no-store"
    return response


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The one endpoint other sites post to by design: a mail provider's RFC 8058 one-click
# unsubscribe, which carries no token and comes from the provider's servers. It can only
# unsubscribe the address its unguessable token belongs to.
CROSS_SITE_POST_ENDPOINTS = frozenset({"invitations.one_click_unsubscribe"})


def require_same_origin() -> None:
    """Refuse a state-changing request that a browser says came from another site.

    Flask-WTF's own check (WTF_CSRF_SSL_STRICT) wants a Referer on every https POST, which
    privacy settings may strip; like Django, trust the Origin header first (browsers send
    it with every POST) and fall back to the Referer only without one. The CSRF token is
    checked as well, always.
    """
    if request.method not in UNSAFE_METHODS or request.endpoint in CROSS_SITE_POST_ENDPOINTS:
        return
    own_origin = f"{request.scheme}://{request.host}"
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        if origin != own_origin:
            raise CSRFError("The request came from another site.")
        return
    referrer = request.referrer
    if referrer:
        if not _same_origin(referrer, own_origin):
            raise CSRFError("The referrer does not match the host.")
    elif request.is_secure:
        raise CSRFError("Neither Origin nor Referer header was sent.")


def _same_origin(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" == origin


def trust_proxy(app: Flask) -> None:
    """Behind a TLS proxy: take the client address and https from its X-Forwarded-* headers."""
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def limit_public_form(view):
    """Rate-limit the POSTs of a form anyone may send (registration, answers, requests).

    Generous enough for a colleague registering a whole office from one address,
    tight enough to stop a script; a limited visitor gets the translated 429 page.
    """
    return limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])(view)


def limit_public_download(view):
    """Rate-limit a file made afresh for each request (a certificate PDF, a calendar file)
    that anyone holding a link may fetch, so a script cannot tie up the workers with it."""
    return limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"])(view)
