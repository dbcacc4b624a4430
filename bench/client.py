"""A tiny HTTP client with cookies, for the single requests around a load run:
logging in, fetching a form's CSRF token, sampling a page's X-SQL-Count.

Each request carries what the TLS proxy of deploy/nginx/samverkan.conf adds in front of
gunicorn (X-Forwarded-For with the visitor's own address, X-Forwarded-Proto https,
X-Forwarded-Host), and each POST the Origin a browser sends, so the app runs as
deployed: production's PROXY_HOPS=1, https, rate limits per visitor.
"""

import http.client
import itertools
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

_ADDRESSES = itertools.count(1)


def visitor_address(n: int | None = None) -> str:
    """A client address of its own (10.0.0.0/8), for one visitor; the next unused one without n."""
    n = next(_ADDRESSES) if n is None else n
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def proxy_headers(base: str, address: str) -> dict[str, str]:
    """What the TLS proxy adds to each request it forwards (deploy/nginx/samverkan.conf)."""
    netloc = urlsplit(base).netloc
    return {"X-Forwarded-For": address, "X-Forwarded-Proto": "https", "X-Forwarded-Host": netloc}


def origin_of(base: str) -> str:
    """The origin the browser sees: https, through the proxy."""
    return f"https://{urlsplit(base).netloc}"


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str
    seconds: float

    @property
    def sql_count(self) -> int | None:
        value = self.headers.get("X-SQL-Count")
        return int(value) if value is not None else None

    @property
    def cpu_microseconds(self) -> int | None:
        value = self.headers.get("X-CPU-Microseconds")
        return int(value) if value is not None else None

    def csrf_token(self) -> str | None:
        match = CSRF_FIELD.search(self.body)
        return (match.group(1) or match.group(2)) if match else None


class Browser:
    """One visitor: keeps its cookies across requests, like a browser without JavaScript."""

    def __init__(self, base: str, *, address: str | None = None) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.origin = origin_of(base)
        self.address = address or visitor_address()
        self.proxy = proxy_headers(base, self.address)
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    @property
    def cookie_header(self) -> dict[str, str]:
        if not self.cookies:
            return {}
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None) -> Answer:
        all_headers = {**self.proxy, **self.cookie_header}
        if method == "POST":
            all_headers.update({"Origin": self.origin, "Referer": f"{self.origin}{path}"})
        all_headers.update(headers or {})
        body = None
        if form is not None:
            body = urlencode(form)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=all_headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=all_headers)
            response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        seconds = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Answer(response.status, response.headers, text, seconds)

    def get(self, path: str, headers: dict | None = None) -> Answer:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, form: dict, headers: dict | None = None) -> Answer:
        return self.request("POST", path, form=form, headers=headers)

    def log_in(self, email: str, password: str) -> bool:
        token = self.get("/login").csrf_token()
        answer = self.post("/login", {"csrf_token": token or "", "email": email, "password": password})
        return answer.status in (302, 303)

    def close(self) -> None:
        self.conn.close()
