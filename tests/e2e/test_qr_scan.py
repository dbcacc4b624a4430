"""The check-in scanner (static/js/qr-scan.js, templates/_macros/qr_scan.html) in a real Chromium
whose camera is a video file: a frame holding a badge's QR code, made here with segno.

The check-in page is wired in later, so a small site of its own serves the macro with the
app's Content-Security-Policy, real CSRF protection and Flask-Babel, beside a manual search.
"""

import secrets
import threading
from html import escape
from pathlib import Path

import pytest
import segno
from flask import Flask, render_template_string, request
from flask_babel import Babel
from flask_wtf import CSRFProtect
from werkzeug.serving import make_server

from app.web.security import CONTENT_SECURITY_POLICY
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CAMERA_ALLOWED = "camera=(self), microphone=(), geolocation=()"
CAMERA_FORBIDDEN = "camera=(), microphone=(), geolocation=()"  # what app/security.py sends by default
CHECKIN_PATH = "/manage/events/7/checkin/scan"
CODE = "Kod-7xQ_9wZ"

PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Incheckning</title>
<link rel="stylesheet" href="{{ url_for('static', filename='vendor/bootstrap/bootstrap.min.css') }}"></head>
<body><main class="container">
{% from "_macros/qr_scan.html" import qr_scanner %}
{{ qr_scanner(url_for('checkin'), method=method) }}
<form method="get" action="{{ url_for('search') }}">
  <label for="q">{{ _('Search') }}</label><input id="q" name="q"><button type="submit">{{ _('Search') }}</button>
</form>
</main></body></html>"""


def scan_site(*, method: str, permissions: str) -> Flask:
    site = Flask("qr_scan_site", static_folder=str(ROOT / "static"), template_folder=str(ROOT / "templates"))
    site.config.update(
        SECRET_KEY=secrets.token_hex(16),
        BABEL_DEFAULT_LOCALE="sv",
        BABEL_TRANSLATION_DIRECTORIES=str(ROOT / "translations"),
    )
    Babel(site)
    CSRFProtect(site)  # the POST below is refused without the form's token

    @site.get("/")
    def page():
        return render_template_string(PAGE, method=method)

    @site.route(CHECKIN_PATH, methods=["GET", "POST"])
    def checkin():
        code = request.form.get("code") if request.method == "POST" else request.args.get("code")
        return f"<p id=result>{request.method} {escape(code or '')}</p>"

    @site.get("/search")
    def search():
        return f"<p id=result>found {escape(request.args.get('q', ''))}</p>"

    @site.after_request
    def headers(response):
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["Permissions-Policy"] = permissions
        return response

    return site


@pytest.fixture
def serve():
    servers = []

    def start(site: Flask) -> str:
        server = make_server("127.0.0.1", 0, site, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()


def camera_video(path: Path, text: str, width: int = 640, height: int = 480) -> Path:
    """A two-frame Y4M video (4:2:0) of `text`'s QR code, black on white, as Chromium's fake
    camera plays it over and over."""
    matrix = segno.make(text, error="m").matrix
    modules = len(matrix) + 8  # with the quiet zone
    scale = min(width, height) * 3 // 4 // modules
    left, top = (width - modules * scale) // 2 + 4 * scale, (height - modules * scale) // 2 + 4 * scale
    luma = bytearray(b"\xeb" * (width * height))
    for row_index, row in enumerate(matrix):
        line = bytearray(b"\xeb" * width)
        for column, dark in enumerate(row):
            if dark:
                start = left + column * scale
                line[start : start + scale] = b"\x10" * scale
        for y in range(top + row_index * scale, top + (row_index + 1) * scale):
            luma[y * width : (y + 1) * width] = line
    chroma = b"\x80" * (width // 2 * height // 2)
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    path.write_bytes(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * 2)
    return path


def open_page(browser, url: str, video: Path | None = None, extra_args=(), init_script: str | None = None):
    args = [*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", *extra_args]
    if video is not None:
        args.append(f"--use-file-for-fake-video-capture={video}")
    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    page = chromium.new_context(locale="sv-SE").new_page()
    page.set_default_timeout(15_000)
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    if init_script:
        page.add_init_script(init_script)
    page.goto(url)
    return chromium, page, violations


def status_is(page, name: str) -> None:
    """The status line says the scanner's text `name` (its data-msg-* attribute, translated)."""
    expected = page.get_attribute("[data-qr-scan]", f"data-msg-{name}")
    assert expected, name
    page.wait_for_function(
        "expected => document.querySelector('[data-qr-scan-status]').textContent === expected", arg=expected
    )


# A BarcodeDetector for a browser without one (Chromium on Linux), reading frames with jsQR,
# so the script's path for browsers that have one runs too.
NATIVE_DETECTOR = (
    (ROOT / "static/vendor/jsqr/jsQR.js").read_text()
    + """
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code"]; }
  async detect(video) {
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth; canvas.height = video.videoHeight;
    const context = canvas.getContext("2d");
    context.drawImage(video, 0, 0);
    const code = jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
    return code ? [{ rawValue: code.data, format: "qr_code" }] : [];
  }
};
"""
)


@pytest.mark.parametrize(
    "method, detector",
    [("post", "jsqr"), ("get", "jsqr"), ("post", "native")],
)
def test_the_camera_reads_a_badge_and_sends_its_code(browser, serve, tmp_path, method, detector):
    base = serve(scan_site(method=method, permissions=CAMERA_ALLOWED))
    video = camera_video(tmp_path / "badge.y4m", f"{base}{CHECKIN_PATH}?code={CODE}")
    chromium, page, violations = open_page(
        browser, base + "/", video, init_script=NATIVE_DETECTOR if detector == "native" else None
    )
    try:
        assert page.evaluate("'BarcodeDetector' in window") == (detector == "native")
        assert page.is_visible("[data-qr-scan]")
        page.click("[data-qr-scan-start]")
        # The form's POST carries the CSRF token (the site refuses it otherwise); GET opens the link.
        page.wait_for_url(f"**{CHECKIN_PATH}*")
        assert page.text_content("#result") == f"{method.upper()} {CODE}"
        assert violations == []
    finally:
        chromium.close()


def test_a_badge_printed_under_another_address_sends_its_code_here_and_is_not_opened(browser, serve, tmp_path):
    base = serve(scan_site(method="post", permissions=CAMERA_ALLOWED))
    video = camera_video(tmp_path / "badge.y4m", f"https://samverkan.example.se{CHECKIN_PATH}?code={CODE}")
    chromium, page, violations = open_page(browser, base + "/", video)
    try:
        page.click("[data-qr-scan-start]")
        page.wait_for_url(f"{base}{CHECKIN_PATH}")
        assert page.text_content("#result") == f"POST {CODE}"
        assert violations == []
    finally:
        chromium.close()


def test_a_qr_code_that_is_not_a_badge_is_refused_and_the_camera_stops(browser, serve, tmp_path, axe_check):
    base = serve(scan_site(method="post", permissions=CAMERA_ALLOWED))
    video = camera_video(tmp_path / "other.y4m", f"https://example.org/om-oss?code={CODE}")
    chromium, page, violations = open_page(browser, base + "/", video)
    try:
        page.click("[data-qr-scan-start]")
        status_is(page, "foreign")
        assert page.get_attribute("[data-qr-scan]", "data-qr-scan-state") == "scanning"
        assert page.get_attribute("[data-qr-scan]", "data-qr-scan-engine") == "jsqr"
        assert page.url == base + "/"
        assert page.is_visible("[data-qr-scan-video]")
        assert page.evaluate("document.activeElement.hasAttribute('data-qr-scan-stop')")
        axe_check(page)

        page.click("[data-qr-scan-stop]")
        status_is(page, "stopped")
        assert page.is_hidden("[data-qr-scan-video]")
        assert page.evaluate("document.querySelector('[data-qr-scan-video]').srcObject") is None
        assert page.evaluate("document.activeElement.hasAttribute('data-qr-scan-start')")
        assert violations == []
    finally:
        chromium.close()


def test_a_page_that_forbids_the_camera_says_so_and_the_search_still_works(browser, serve):
    base = serve(scan_site(method="post", permissions=CAMERA_FORBIDDEN))
    chromium, page, _ = open_page(browser, base + "/")
    try:
        page.click("[data-qr-scan-start]")
        status_is(page, "denied")
        assert page.get_attribute("[data-qr-scan]", "data-qr-scan-state") == "error"
        assert page.is_visible("[data-qr-scan-start]")  # to try again after allowing it
        page.fill("#q", "Anna-Karin")
        page.click("main form[action='/search'] button")
        assert page.text_content("#result") == "found Anna-Karin"
    finally:
        chromium.close()


def test_over_plain_http_the_scanner_explains_and_the_search_still_works(browser, serve):
    base = serve(scan_site(method="post", permissions=CAMERA_ALLOWED))
    port = base.rsplit(":", 1)[1]
    # A name other than localhost is not a secure context over http, as on a real server.
    chromium, page, _ = open_page(
        browser,
        f"http://checkin.test:{port}/",
        extra_args=["--host-resolver-rules=MAP checkin.test 127.0.0.1", "--disable-features=HttpsUpgrades"],
    )
    try:
        assert page.evaluate("window.isSecureContext") is False
        status_is(page, "insecure")
        assert page.is_hidden("[data-qr-scan-start]")
        page.fill("#q", "Bo Ek")
        page.click("main form[action='/search'] button")
        assert page.text_content("#result") == "found Bo Ek"
    finally:
        chromium.close()
