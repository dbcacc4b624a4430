"""Serve the benchmark app with gunicorn on a free loopback port, as production would.

Production configuration (it needs SECRET_KEY and DATABASE_URL, both set here;
its PROXY_HOPS=1 is harmless on loopback, where no proxy header is sent), the
default sync workers, no access log: what a deployment following the README runs.
"""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

from config import BASE_DIR


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`with Server(url) as server:` gunicorn runs, and `server.base` is its address."""

    def __init__(self, database_url: str, *, workers: int = 2, log: Path | None = None) -> None:
        self.database_url = database_url
        self.workers = workers
        self.log = log or BASE_DIR / "bench" / "results" / "gunicorn.log"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "SAMVERKAN_CONFIG": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": self.database_url,
        }
        env.pop("FLASK_DEBUG", None)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "--error-logfile",
                str(self.log),
                "bench.wsgi_bench:app",
            ],
            cwd=BASE_DIR,
            env=env,
        )
        self._wait_until_ready()
        return self

    def _wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start-up; see {self.log}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout} s; see {self.log}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
