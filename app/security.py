"""Response headers that keep pages from being framed, sniffed, leaked or injected."""

from flask import Flask, Response, request

# No inline scripts or styles anywhere: everything comes from /static.
CONTENT_SECURITY_POLICY = "; ".join([
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
])


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # Pages carrying a secret token set no-referrer themselves; this is the default.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def no_referrer(response: Response) -> Response:
    """For pages whose URL holds a personal token: never send it to another site."""
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def trust_proxy(app: Flask) -> None:
    """Behind a TLS proxy: take the client address and https from its X-Forwarded-* headers."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def limit_public_form(view):
    """Rate-limit the POSTs of a form anyone may send (registration, answers, requests).

    Generous enough for a colleague registering a whole office from one address,
    tight enough to stop a script; a limited visitor gets the translated 429 page.
    """
    from flask import current_app

    from app.extensions import limiter

    return limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])(view)
