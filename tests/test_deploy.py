"""The deploy recipe in deploy/: what the image holds, how many gunicorn workers start,
and that gunicorn's logs never show a personal link."""

import gc
import json
import os
import re
import runpy
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.web.access_log import RedactingAtoms, redact
from tests.dockerignore import PatternMatcher, context_files, copied_files, read_ignore_file, sent_files
from tests.mailserver import free_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


# --- The image -------------------------------------------------------------------------

# moby/patternmatcher's own cases (MatchesOrParentMatches): the port matches as Docker does.
DOCKER_CASES = [
    ("**", "dir/file", True),
    ("**/", "dir/file/", True),
    ("dir/**", "dir/dir2/file", True),
    ("**/dir", "dir", True),
    ("**/dir", "dir/file", True),
    ("**/dir2/*", "dir/dir2/file", True),
    ("**/dir2/**", "dir/dir2/dir3/file", True),
    ("**file", "dir/file", True),
    ("**/file*", "dir/dir/file.txt", True),
    ("**/**/*.txt2", "dir/dir/file.txt", False),
    ("**/*.txt", "file.txt", True),
    ("a**/*.txt", "a/dir/file.txt", True),
    ("a/*.txt", "a/dir/file.txt", False),
    ("a/*.txt", "a/file.txt", True),
    ("a[b-d]e", "ace", True),
    ("a[b-d]e", "aae", False),
    ("a[^b-d]e", "aze", True),
    (".*", ".foo", True),
    (".*", "foo", False),
    ("abc.def", "abcdef", False),
    ("abc?def", "abcZdef", True),
    ("**/foo/bar", "dir/dir2/foo/bar", True),
    ("abc/**", "abc", False),
    ("abc/**", "abc/def/ghi", True),
    ("**/.foo", ".foo", True),
    ("**/.foo", "bar.foo", False),
    ("a(b)c/def", "a(b)c/def", True),
    ("a.|)$(}+{bc", "a.|)$(}+{bc", True),
    ("dist/*.whl", "dist/p-2.4+g0-py3.whl", True),
    # What Docker does and .gitignore does not: a pattern without ** is anchored at the root.
    ("*.pyc", "app/x.pyc", False),
    ("*.pyc", "x.pyc", True),
    (".env", "deploy/.env", False),
    ("app", "app/x/y.py", True),
]


@pytest.mark.parametrize(("pattern", "path", "left_out"), DOCKER_CASES)
def test_the_port_of_dockers_pattern_matching_agrees_with_docker(pattern, path, left_out):
    assert PatternMatcher([pattern]).matches_or_parent_matches(path) is left_out


def test_the_port_reads_ignore_files_and_exceptions_as_docker_does():
    patterns = read_ignore_file("\ufeff# comment\n\n  /docs/  \n! docs/README.md\n**/*.pyc\n")
    assert patterns == ["docs", "!docs/README.md", "**/*.pyc"]
    matcher = PatternMatcher(patterns)
    assert not matcher.matches_or_parent_matches("docs/README.md")
    assert matcher.matches_or_parent_matches("docs/other.md")
    again = PatternMatcher(["**", "!util/docker/web", "util/docker/web/foo"])
    assert again.matches_or_parent_matches("util/docker/web/foo")
    assert not PatternMatcher(["**", "!util/docker/web"]).matches_or_parent_matches("util/docker/web/foo")


# Never in an image: secrets, virtualenvs, databases, the repository, caches, and what only
# development needs.
FORBIDDEN_PARTS = {
    ".git",
    ".venv",
    "venv",
    "env",
    "instance",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "tests",
    "bench",
    "test-results",
    ".ci",
    "node_modules",
}
FORBIDDEN_NAME = re.compile(r"^\.env(\..*)?$|\.(db|db-wal|db-shm|db-journal|sqlite3?|pyc|mo)$")


def _forbidden(path: str) -> bool:
    parts = path.split("/")
    return bool(
        FORBIDDEN_PARTS.intersection(parts[:-1]) or parts[0] in FORBIDDEN_PARTS or FORBIDDEN_NAME.search(parts[-1])
    )


def _plant_what_a_working_copy_holds(root: Path) -> list[str]:
    """A copy of the repository with everything a developer's or operator's checkout may
    hold beside it: the compose secrets, virtualenvs, databases, the git directory, caches."""
    listed = ["git", "ls-files", "--cached", "--others", "--exclude-standard"]
    tracked = subprocess.run(listed, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for path in tracked.split():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / path, target)
    planted = [
        "deploy/.env",
        ".env",
        ".env.production",
        "app/.env",
        ".venv/bin/python",
        "venv/lib/site.py",
        "instance/samverkan.db",
        "instance/bench-scale50.db",
        "samverkan.db",
        "app/local.sqlite3",
        "instance/samverkan.db-wal",
        ".git/config",
        ".git/objects/ab/cdef",
        ".pytest_cache/v/cache/lastfailed",
        "app/__pycache__/cli.cpython-311.pyc",
        "tests/__pycache__/conftest.cpython-311.pyc",
        ".ruff_cache/x",
        "bench/results/latest.json",
        "test-results/trace.zip",
        "translations/sv/LC_MESSAGES/messages.mo",
        "migrations/__pycache__/env.cpython-311.pyc",
        "static/.env",
    ]
    for path in planted:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("SECRET_KEY=from-a-file-that-must-stay-home\n")
    return planted


REQUIRED_IN_IMAGE = [
    "wsgi.py",
    "config.py",
    "requirements.txt",
    "app/__init__.py",
    "app/web/access_log.py",
    "migrations/env.py",
    "templates/base.html",
    "translations/sv/LC_MESSAGES/messages.po",
    "deploy/gunicorn.conf.py",
]


def test_the_image_holds_the_app_and_nothing_that_must_stay_home(tmp_path):
    planted = _plant_what_a_working_copy_holds(tmp_path)
    sent = sent_files(tmp_path)
    assert [path for path in sent if _forbidden(path)] == []
    assert set(planted).isdisjoint(sent)
    image = copied_files((tmp_path / "deploy" / "Containerfile").read_text(), sent)
    assert [path for path in image if _forbidden(path)] == []
    assert set(REQUIRED_IN_IMAGE) <= set(image), set(REQUIRED_IN_IMAGE) - set(image)
    assert any(path.startswith("static/") for path in image)
    # Every file of the app the repository holds goes in: nothing it needs is left out.
    tracked_app = [path for path in context_files(tmp_path / "app") if "__pycache__" not in path]
    assert {f"app/{path}" for path in tracked_app} - set(planted) <= set(image)


def test_this_working_copy_would_send_nothing_that_must_stay_home():
    """The same rules over the checkout the suite runs in, whatever lies around in it."""
    sent = sent_files(ROOT)
    assert [path for path in sent if _forbidden(path)] == []
    assert "wsgi.py" in sent and "app/__init__.py" in sent


# --- gunicorn: how many workers ------------------------------------------------------


def _settings(monkeypatch, **env) -> dict:
    for name in ("GUNICORN_WORKERS", "GUNICORN_MAX_REQUESTS", "GUNICORN_ACCESSLOG", "GUNICORN_REUSE_PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def _cgroup(root: Path, proc: str, files: dict[str, str]) -> tuple[str, str]:
    (root / "fs").mkdir(parents=True)
    (root / "proc").write_text(proc)
    for path, content in files.items():
        (root / "fs" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "fs" / path).write_text(content)
    return str(root / "fs"), str(root / "proc")


def test_cpus_are_counted_by_affinity_and_the_cgroup_quota(monkeypatch, tmp_path):
    usable = _settings(monkeypatch)["usable_cpus"]
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3, 4, 5, 6, 7})  # 8 CPUs may be used

    # cgroup v2 in a container (its own namespace): `--cpus 1.5`.
    assert usable(*_cgroup(tmp_path / "a", "0::/\n", {"cpu.max": "150000 100000\n"})) == 1.5
    # No quota at all: the affinity counts.
    assert usable(*_cgroup(tmp_path / "b", "0::/\n", {"cpu.max": "max 100000\n"})) == 8
    # On a host, the tightest of the process's group and its parents (systemd CPUQuota=200%).
    assert (
        usable(
            *_cgroup(
                tmp_path / "c",
                "0::/system.slice/samverkan.service\n",
                {
                    "system.slice/samverkan.service/cpu.max": "max 100000\n",
                    "system.slice/cpu.max": "200000 100000\n",
                },
            )
        )
        == 2
    )
    # cgroup v1, as docker mounts it without a namespace (the group's path is not under the mount).
    assert (
        usable(
            *_cgroup(
                tmp_path / "d",
                "12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n",
                {
                    "cpu,cpuacct/cpu.cfs_quota_us": "50000\n",
                    "cpu,cpuacct/cpu.cfs_period_us": "100000\n",
                },
            )
        )
        == 0.5
    )
    assert (
        usable(
            *_cgroup(
                tmp_path / "e",
                "4:cpu,cpuacct:/\n",
                {
                    "cpu,cpuacct/cpu.cfs_quota_us": "-1\n",
                    "cpu,cpuacct/cpu.cfs_period_us": "100000\n",
                },
            )
        )
        == 8
    )
    # A quota above the CPUs that may be used changes nothing; unreadable files neither.
    assert usable(*_cgroup(tmp_path / "f", "0::/\n", {"cpu.max": "1600000 100000\n"})) == 8
    assert usable(str(tmp_path / "nowhere"), str(tmp_path / "nothing")) == 8


def test_this_machine_gets_workers_for_the_cpus_it_may_use(monkeypatch):
    settings = _settings(monkeypatch)
    cpus = settings["usable_cpus"]()
    assert 0 < cpus <= os.cpu_count()
    assert settings["workers"] == settings["default_workers"](cpus)


def test_workers_are_one_per_cpu_plus_one_within_bounds(monkeypatch):
    default_workers = _settings(monkeypatch)["default_workers"]
    assert [default_workers(cpus) for cpus in (0.5, 1, 1.5, 2, 4, 11, 64)] == [2, 2, 3, 3, 5, 12, 12]
    assert _settings(monkeypatch, GUNICORN_WORKERS="7")["workers"] == 7


def test_workers_are_not_recycled_unless_asked(monkeypatch):
    settings = _settings(monkeypatch)
    assert settings["max_requests"] == 0  # gunicorn's "never"
    settings = _settings(monkeypatch, GUNICORN_MAX_REQUESTS="20000")
    assert (settings["max_requests"], settings["max_requests_jitter"]) == (20000, 2000)


def test_each_worker_listens_on_its_own_socket_unless_asked(monkeypatch):
    assert _settings(monkeypatch)["reuse_port"] is True
    assert _settings(monkeypatch, GUNICORN_REUSE_PORT="0")["reuse_port"] is False


def test_the_app_is_loaded_once_and_frozen_out_of_the_collectors_way_before_the_fork(monkeypatch, app):
    settings = _settings(monkeypatch)
    assert settings["preload_app"] is True
    assert gc.get_freeze_count() == 0
    try:
        settings["when_ready"](SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app)))
        assert gc.get_freeze_count() > 10_000  # the app's modules, as the master holds them
    finally:
        gc.unfreeze()


def test_the_master_does_what_each_worker_would_do_on_its_first_requests():
    """A new interpreter, as gunicorn's master is: there nothing else has configured the
    mappers, compiled a template or loaded a language before `when_ready`."""
    script = f"""
import json, runpy
from types import SimpleNamespace
from babel import localedata
from flask_babel import get_domain
from app import create_app
from app.extensions import db
from app.web.warm_up import template_names
from config import TestingConfig

app = create_app(TestingConfig)
settings = runpy.run_path({str(GUNICORN_CONF)!r})
settings["when_ready"](SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app)))
with app.test_request_context():
    catalogues = sorted(locale for locale, _ in get_domain().cache)
print(json.dumps({{
    "mappers_waiting": db.Model.registry._new_mappers,
    "not_compiled": sorted(set(template_names(app)) - {{name for _, name in app.jinja_env.cache.keys()}}),
    "catalogues": catalogues,
    "locale_data": sorted(set(localedata._cache) & {{"sv", "en"}}),
}}))
"""
    env = {**os.environ, "TEST_DATABASE_URL": "sqlite://", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    readied = json.loads(done.stdout.splitlines()[-1])
    assert readied == {
        "mappers_waiting": False,
        "not_compiled": [],
        "catalogues": ["en", "sv"],
        "locale_data": ["en", "sv"],
    }


# --- gunicorn: no personal link in any log line --------------------------------------

TOKEN = "Vx3k_9QmZ-2pLr8sTuWy4aBcDeFgHiJkLmNoPqRsTuv"  # shaped like secrets.token_urlsafe(32)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f'"GET /r/{TOKEN} HTTP/1.1" 200', '"GET /r/[token] HTTP/1.1" 200'),
        (f"/r/{TOKEN}/cancel", "/r/[token]/cancel"),
        (f"/i/{TOKEN}/decline", "/i/[token]/decline"),
        ("/u/abc", "/u/[token]"),  # a mistyped token is still someone's attempt at one
        (f"/s/{TOKEN}?lang=en", "/s/[token]?lang=en"),
        (f"https://samverkan.example.se/visit/{TOKEN}/answer", "https://samverkan.example.se/visit/[token]/answer"),
        (f"/r%2F{TOKEN}", "/r%2F[token]"),
        ("/events/7/register?token=abc&x=1", "/events/7/register?token=[token]&x=1"),
        (f"edit_key={TOKEN}", "edit_key=[token]"),
        (f"/somewhere/{TOKEN}/else", "/somewhere/[token]/else"),
        (TOKEN, "[token]"),  # 43 characters, no slash: the shortest a token can be
        ("key=abc", "key=[token]"),  # short, but a secret parameter
        # What is not a token stays.
        ("/visit?region=05", "/visit?region=05"),
        ("/regions/05/calendar.ics", "/regions/05/calendar.ics"),
        ("/events/archive?page=2&from=2026-01-01", "/events/archive?page=2&from=2026-01-01"),
        ("/static/vendor/bootstrap/bootstrap.min.css", "/static/vendor/bootstrap/bootstrap.min.css"),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0.0.0 Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0.0.0 Safari/537.36",
        ),
        (
            "inspirationsdag-om-validering-i-ostergotlands-lan-hosten",
            "inspirationsdag-om-validering-i-ostergotlands-lan-hosten",
        ),
    ],
)
def test_redact_replaces_tokens_and_keeps_the_rest(line, expected):
    assert redact(line) == expected


def test_access_log_atoms_are_escaped_and_redacted_when_the_format_asks_for_them():
    atoms = RedactingAtoms({"r": f"GET /r/{TOKEN} HTTP/1.1", "f": f'https://x.se/"r"/{TOKEN}', "{referer}i": "-"})
    assert atoms["r"] == "GET /r/[token] HTTP/1.1"
    assert atoms["f"] == 'https://x.se/\\"r\\"/[token]'
    assert atoms["{Referer}i"] == "-" and atoms["{x-absent}o"] == "-"


@pytest.fixture
def gunicorn(app, tmp_path):
    """The app as deployed: wsgi:app under gunicorn with deploy/gunicorn.conf.py, production config."""
    port = free_port()
    env = {
        **os.environ,
        "SAMVERKAN_CONFIG": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESSLOG": str(tmp_path / "access.log"),
        "GUNICORN_ERRORLOG": str(tmp_path / "error.log"),
    }
    process = subprocess.Popen([str(BIN / "gunicorn"), "-c", str(GUNICORN_CONF), "wsgi:app"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (tmp_path / "error.log").read_text()
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield base, process, tmp_path
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _get(url: str, **headers) -> int:
    request = urllib.request.Request(url, headers={"User-Agent": "log-check/1.0", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_no_token_reaches_gunicorns_logs(gunicorn, make_event):
    from app.services import registrations

    event = make_event()
    registration = registrations.register(
        event,
        registrations.RegistrationDetails(
            name="Karin Lind", email="karin@example.se", sector="municipality", consent=True
        ),
        locale="sv",
    ).registration
    real = registration.manage_token
    others = {prefix: secrets.token_urlsafe(32) for prefix in ("i", "u", "s", "visit", "elsewhere")}
    base, process, logs = gunicorn
    https = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front says

    assert _get(f"{base}/r/{real}", **https) == 200
    assert _get(f"{base}/r/{real}/cancel", Referer=f"https://samverkan.example.se/r/{real}", **https) == 200
    assert _get(f"{base}/r/{real}/data.json", **https) == 200
    for prefix, token in others.items():
        _get(f"{base}/{prefix}/{token}", **https)  # unknown tokens: 404, logged all the same
    _get(
        f"{base}/events/{event.id}/register?token={others['elsewhere']}",
        Referer=f"https://mail.example.se/read?u={others['u']}",
        **https,
    )
    assert _get(f"{base}/events/{event.id}", **https) == 200

    process.send_signal(signal.SIGTERM)  # gunicorn writes and closes its logs on the way out
    process.wait(timeout=30)
    access = (logs / "access.log").read_text()
    errors = (logs / "error.log").read_text()
    for token in [real, *others.values()]:
        assert token not in access and token not in errors
    lines = access.splitlines()
    assert len(lines) >= 10
    # Still useful: who, when, method, the page's shape, status, size, referrer, agent, time, request id.
    [manage] = [line for line in lines if '"GET /r/[token] HTTP/1.1"' in line]
    assert re.match(
        r'^127\.0\.0\.1 - - \[[^]]+\] "GET /r/\[token\] HTTP/1\.1" 200 \d+ "-" "log-check/1\.0" \d+ms [0-9a-f]{16}$',
        manage,
    ), manage
    [cancel] = [line for line in lines if "/r/[token]/cancel" in line]
    assert '"https://samverkan.example.se/r/[token]"' in cancel
    assert any(f'"GET /events/{event.id} HTTP/1.1" 200' in line for line in lines)
    assert any(f"/events/{event.id}/register?token=[token]" in line and "read?u=[token]" in line for line in lines)
