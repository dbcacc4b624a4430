"""Serve an app with gunicorn on a free loopback port exactly as deploy/ does.

`gunicorn -c deploy/gunicorn.conf.py` with the recipe's own settings (gthread workers
and threads, no worker recycling, its logger class with the redacting access log) and
the production configuration: a fresh strong SECRET_KEY, the benchmark's database and,
when given, REDIS_URL (as deploy/compose.yaml sets it). PROXY_HOPS keeps production's
default of 1: the benchmark's clients act as the TLS proxy in front, sending
X-Forwarded-For/-Proto/-Host as deploy/nginx/samverkan.conf does (see bench/client.py),
so the app sees https and each visitor's own address, as deployed.

Only the bind address (GUNICORN_BIND), the log files (GUNICORN_ACCESSLOG and
GUNICORN_ERRORLOG) and, when asked, the number of workers (GUNICORN_WORKERS) are set
here; any other GUNICORN_* of the caller's environment is dropped, so the recipe's
defaults apply. The access log goes to a file (one per server, emptied at start):
formatting and redacting each line is part of what a request costs as deployed.

`server.cpu_seconds()` is the CPU time (user + system, all threads) the workers have
used so far, read from /proc/<pid>/stat: the difference over a load run, divided by
its requests, is the server's CPU per request, which hardly changes when other
processes compete for the cores (unlike requests per second).
"""

import http.client
import os
import runpy
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

from config import BASE_DIR

GUNICORN_CONF = BASE_DIR / "deploy" / "gunicorn.conf.py"
LOG_DIR = BASE_DIR / "bench" / "results"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of a process (every thread of it), in seconds."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) ": state is fields[0]
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


class Server:
    """`with Server(url) as server:` gunicorn runs, and `server.base` is its address.

    `app` is the WSGI app to serve (bench.wsgi_bench:app: the production app plus the
    benchmark's cost headers; bench.bare_app:app for the reference page; wsgi:app as is).
    `env` adds settings (PAGE_CACHE_SECONDS=0 for a server that renders every page).
    """

    def __init__(
        self,
        database_url: str,
        *,
        app: str = "bench.wsgi_bench:app",
        name: str = "gunicorn",
        workers: int | None = None,
        redis_url: str | None = None,
        env: dict | None = None,
    ) -> None:
        self.database_url, self.app, self.name = database_url, app, name
        self.workers, self.redis_url, self.extra_env = workers, redis_url, env or {}
        self.log = LOG_DIR / f"{name}.log"
        self.access_log = LOG_DIR / f"{name}-access.log"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.env: dict = {}

    def environment(self) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("GUNICORN_") and key not in ("FLASK_DEBUG", "REDIS_URL", "PROXY_HOPS")
        }
        env.update(
            {
                "SAMVERKAN_CONFIG": "production",
                "SECRET_KEY": secrets.token_hex(32),
                "DATABASE_URL": self.database_url,
                # The site's public address, as a deployment sets it: https, through the "proxy".
                "BASE_URL": f"https://127.0.0.1:{self.port}",
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "GUNICORN_ACCESSLOG": str(self.access_log),
                "GUNICORN_ERRORLOG": str(self.log),
            }
        )
        if self.workers:
            env["GUNICORN_WORKERS"] = str(self.workers)
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        env.update(self.extra_env)
        return env

    def __enter__(self) -> "Server":
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.env = self.environment()
        self.access_log.write_bytes(b"")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), self.app],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        expected = self.settings()["workers"]
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start-up; see {self.log}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", "/healthz")
                ready = conn.getresponse().status == 200
                # Every worker booted, so the CPU accounting sees them all from the start.
                if ready and len(self.worker_pids()) >= expected:
                    return
            except OSError:  # not listening yet, or too slow on a loaded machine: try again
                pass
            finally:
                conn.close()
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout} s; see {self.log}")

    def settings(self) -> dict:
        """What the recipe decides for this machine and environment."""
        saved = dict(os.environ)
        try:
            os.environ.clear()
            os.environ.update(self.env or self.environment())
            recipe = runpy.run_path(str(GUNICORN_CONF))
        finally:
            os.environ.clear()
            os.environ.update(saved)
        keys = ("workers", "threads", "worker_class", "max_requests", "reuse_port", "logger_class")
        return {key: recipe[key] for key in keys}

    def worker_pids(self) -> list[int]:
        return children_of(self.process.pid) if self.process else []

    def cpu_by_worker(self) -> dict[int, float]:
        """CPU seconds used so far by each worker, by pid."""
        used = {}
        for pid in self.worker_pids():
            try:
                used[pid] = process_cpu_seconds(pid)
            except OSError:  # gone meanwhile
                pass
        return used

    def cpu_seconds(self) -> tuple[float, tuple[int, ...]]:
        """CPU used so far by the workers (and the master, which hardly works), and which
        workers they were: a measurement across which the set changed lost a worker's time."""
        used = self.cpu_by_worker()
        try:
            master = process_cpu_seconds(self.process.pid)
        except OSError:
            master = 0.0
        return master + sum(used.values()), tuple(sorted(used))

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Redis:
    """`with Redis() as redis:` a private redis-server on a free loopback port, as
    deploy/compose.yaml runs it (no persistence); `redis.url` is its REDIS_URL."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        from shutil import which

        return which("redis-server") is not None

    def __enter__(self) -> "Redis":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("redis-server did not start")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
