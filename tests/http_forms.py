"""Posting forms over real HTTP as a browser does, for tests that talk to a server
(live_server, gunicorn): open the form's page with a cookie jar, take its CSRF token,
and post it back with an Origin header of the same site."""

import http.cookiejar
import re
import ssl
import urllib.error
import urllib.parse
import urllib.request

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor: a cookie jar and the last form token it was given."""

    def __init__(self, base: str, *, context: ssl.SSLContext | None = None, timeout: float = 60):
        self.base = base.rstrip("/")
        parts = urllib.parse.urlsplit(self.base)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()]
        if context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self.opener = urllib.request.build_opener(*handlers)
        self.token: str | None = None

    def url(self, path: str) -> str:
        return path if "://" in path else self.base + path

    def get(self, path: str) -> tuple[int, str]:
        """GET a page; remember the CSRF token its forms carry."""
        status, body, _ = self._open(urllib.request.Request(self.url(path)))
        match = TOKEN.search(body)
        if match:
            self.token = match.group(1)
        return status, body

    def post(self, path: str, form: dict, *, page: str | None = None) -> tuple[int, str, dict]:
        """POST a form from `page` (by default the same address), as the browser showing it does."""
        page_url = self.url(page or path)
        if self.token is None:
            self.get(page_url)
        data = urllib.parse.urlencode({"csrf_token": self.token, **form}, doseq=True).encode()
        request = urllib.request.Request(
            self.url(path), data=data, method="POST",
            headers={"Origin": self.origin, "Referer": page_url},
        )
        return self._open(request)

    def _open(self, request) -> tuple[int, str, dict]:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read().decode(errors="replace"), dict(response.headers)
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read().decode(errors="replace"), dict(error.headers)
