"""A visitor over real HTTP, for tests that talk to the app in another process
(gunicorn): it keeps its cookies, takes a form's CSRF token from the page and posts
it back with a same-origin Referer and Origin, as a browser does. With `https` it
comes as through the TLS proxy of a deployment (PROXY_HOPS=1): the X-Forwarded-*
headers the proxy adds, and cookies marked Secure kept all the same."""

import http.client
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str
    seconds: float

    def csrf_token(self) -> str:
        match = CSRF_FIELD.search(self.body)
        assert match, f"no CSRF token in the page (HTTP {self.status})"
        return match.group(1) or match.group(2)


class Visitor:
    """One person with one browser: cookies and a kept-alive connection of their own."""

    def __init__(
        self, base: str, *, client_address: str | None = None, https: bool = False, timeout: float = 30
    ) -> None:
        parts = urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.origin = f"{'https' if https else 'http'}://{parts.netloc}"
        self.headers: dict[str, str] = {}
        if https:
            self.headers["X-Forwarded-Proto"] = "https"
        if client_address:
            self.headers["X-Forwarded-For"] = client_address
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, *, form: dict | None = None, headers: dict | None = None) -> Answer:
        all_headers = {**self.headers, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=all_headers)
                response = self.conn.getresponse()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed a kept-alive connection between requests: once more on a new one.
                self.close()
                if attempt:
                    raise
        text = response.read().decode("utf-8", "replace")
        seconds = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.headers.get("Connection", "").lower() == "close":
            self.close()
        return Answer(response.status, response.headers, text, seconds)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def submit(self, path: str, fields: dict, *, form_path: str | None = None) -> Answer:
        """Open the form's page, then send the form with its token, as a browser does."""
        form_path = form_path or path
        return self.send(path, fields, token=self.get(form_path).csrf_token(), form_path=form_path)

    def send(self, path: str, fields: dict, *, token: str, form_path: str | None = None) -> Answer:
        """Send a form whose page was opened before (its token given), as a browser does."""
        referer = f"{self.origin}{form_path or path}"
        return self.request(
            "POST", path, form={**fields, "csrf_token": token}, headers={"Referer": referer, "Origin": self.origin}
        )

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def __enter__(self) -> "Visitor":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
