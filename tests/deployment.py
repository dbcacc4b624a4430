"""The app as the README deploys it, for tests: gunicorn with deploy/gunicorn.conf.py and
the production configuration on PostgreSQL, a mail worker, and nginx in front ending
TLS with a certificate made here, configured from deploy/nginx/samverkan.conf."""

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.mailserver import free_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@dataclass
class Deployment:
    """What runs, where it answers and where its logs are."""

    url: str  # https, through nginx
    app_url: str  # gunicorn itself, on loopback
    environment: dict
    workdir: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def app_log(self) -> str:
        return (self.workdir / "gunicorn.log").read_text(errors="replace")

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def production_environment(database_url: str, *, base_url: str, mail_port: int | None = None, **extra) -> dict:
    """The environment of a production install (deploy/env.example), for this machine."""
    environment = {
        **os.environ,
        "SAMVERKAN_CONFIG": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "BASE_URL": base_url,
        "CALENDAR_UID_DOMAIN": "samverkan.test",
        "PROXY_HOPS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    if mail_port is not None:
        environment.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=str(mail_port))
    environment.update(extra)
    return environment


def start_gunicorn(environment: dict, log: Path, *, workers: int = 2) -> tuple[subprocess.Popen, str]:
    port = free_port()
    environment = {**environment, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)}
    with log.open("ab") as output:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/healthz", process, log)
    return process, url


def start_mail_worker(environment: dict, log: Path) -> subprocess.Popen:
    with log.open("ab") as output:
        return subprocess.Popen(
            [str(BIN / "flask"), "--app", "wsgi", "mail-worker", "--interval", "0.2", "--check-every", "1"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def make_certificate(workdir: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost, valid for a day."""
    certificate, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key


def nginx_config(workdir: Path, *, port: int, upstream: str, certificate: Path, key: Path) -> Path:
    """deploy/nginx/samverkan.conf with this machine's port, certificate and upstream,
    inside the few lines of a main nginx.conf that a distribution provides."""
    site = (ROOT / "deploy" / "nginx" / "samverkan.conf").read_text()
    site = re.sub(r"server \{\n    listen 80;.*?\n\}\n", "", site, flags=re.S)  # no plain-http redirect here
    replacements = {
        "server 127.0.0.1:8000;": f"server {upstream.removeprefix('http://')};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{port} ssl http2;",
        "server_name samverkan.example.se;": "server_name localhost;",
        "/etc/ssl/certs/samverkan.pem": str(certificate),
        "/etc/ssl/private/samverkan.key": str(key),
        "/srv/samverkan/static/": f"{ROOT / 'static'}/",
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx/samverkan.conf no longer has {old!r}"
        site = site.replace(old, new)
    (workdir / "site.conf").write_text(site)
    temp = workdir / "nginx-temp"
    temp.mkdir(exist_ok=True)
    main = workdir / "nginx.conf"
    main.write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {workdir}/site.conf;
}}
""")
    return main


def start_nginx(workdir: Path, upstream: str, port: int) -> subprocess.Popen:
    certificate, key = make_certificate(workdir)
    config = nginx_config(workdir, port=port, upstream=upstream, certificate=certificate, key=key)
    check = subprocess.run(
        [NGINX, "-t", "-c", str(config), "-e", str(workdir / "nginx-error.log")], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [NGINX, "-c", str(config), "-e", str(workdir / "nginx-error.log"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    wait_until_up(f"https://localhost:{port}/healthz", process, workdir / "nginx-error.log", insecure=True)
    return process


def wait_until_up(url: str, process: subprocess.Popen, log: Path, *, insecure: bool = False) -> None:
    import ssl

    context = ssl._create_unverified_context() if insecure else None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args[0]} exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2, context=context):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer:\n{log.read_text(errors='replace')[-3000:]}")


def deploy(
    database_url: str, workdir: Path, *, mail_port: int | None = None, workers: int = 2, **environment
) -> Deployment:
    """nginx → gunicorn → PostgreSQL, and a mail worker when mail_port is given."""
    if not shutil.which(NGINX):
        raise FileNotFoundError("nginx is not installed (apt-get install nginx-light)")
    proxy_port = free_port()  # taken now: BASE_URL must name it before the app starts
    url = f"https://localhost:{proxy_port}"
    env = production_environment(database_url, base_url=url, mail_port=mail_port, **environment)
    deployment = Deployment(url=url, app_url="", environment=env, workdir=workdir)
    try:
        app, deployment.app_url = start_gunicorn(env, workdir / "gunicorn.log", workers=workers)
        deployment.processes.append(app)
        deployment.processes.append(start_nginx(workdir, deployment.app_url, proxy_port))
        if mail_port is not None:
            deployment.processes.append(start_mail_worker(env, workdir / "mail-worker.log"))
    except BaseException:
        deployment.stop()
        raise
    return deployment
