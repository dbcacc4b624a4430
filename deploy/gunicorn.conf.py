"""gunicorn settings for Samverkan: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Every value can be overridden from the environment, so one file serves a laptop,
a virtual machine and a container.
"""

import gc
import math
import os
from pathlib import Path

# --- How many processes ----------------------------------------------------------------


def usable_cpus(cgroup_root: str = "/sys/fs/cgroup", proc_cgroup: str = "/proc/self/cgroup") -> float:
    """The CPUs this process may really use: those it may run on (a container's --cpuset,
    taskset) and at most its cgroup's CPU quota (a container's --cpus, a systemd CPUQuota),
    where os.cpu_count() names every CPU of the host."""
    try:
        cpus: float = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    quota = cgroup_cpu_quota(Path(cgroup_root), Path(proc_cgroup))
    return min(cpus, quota) if quota else cpus


def cgroup_cpu_quota(root: Path, proc_cgroup: Path) -> float | None:
    """The tightest CPU quota (quota ÷ period) on this process's cgroup and its parents,
    cgroup v2 (cpu.max) or v1 (cpu.cfs_quota_us); None without one."""
    try:
        lines = proc_cgroup.read_text().splitlines()
    except OSError:
        return None
    quotas = []
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controllers == "":  # cgroup v2: "0::/path"
            quotas += [_v2_quota(directory) for directory in _cgroup_dirs(root, path)]
        elif "cpu" in controllers.split(","):  # cgroup v1: "4:cpu,cpuacct:/path"
            for mount in (root / controllers, root / "cpu", root / "cpu,cpuacct"):
                if mount.is_dir():
                    quotas += [_v1_quota(directory) for directory in _cgroup_dirs(mount, path)]
                    break
    quotas = [quota for quota in quotas if quota]
    return min(quotas) if quotas else None


def _cgroup_dirs(mount: Path, path: str) -> list[Path]:
    """The process's cgroup directory and each parent up to the mount. In a container with
    its own cgroup namespace the path is "/" and the mount is the container's own group."""
    directory = mount / path.strip("/")
    dirs = []
    while True:
        dirs.append(directory)
        if directory == mount:
            return dirs
        directory = directory.parent


def _v2_quota(directory: Path) -> float | None:
    try:
        quota, period = (directory / "cpu.max").read_text().split()
    except (OSError, ValueError):
        return None
    return None if quota == "max" else int(quota) / int(period)


def _v1_quota(directory: Path) -> float | None:
    try:
        quota = int((directory / "cpu.cfs_quota_us").read_text())
        period = int((directory / "cpu.cfs_period_us").read_text())
    except (OSError, ValueError):
        return None
    return None if quota <= 0 else quota / period


def default_workers(cpus: float) -> int:
    """One worker per CPU and one more. A worker's threads wait on PostgreSQL side by side,
    but its Python runs on one CPU at a time (the GIL), so it takes a worker per CPU to use
    them all, and the extra one fills in while a worker's threads all wait. More only switch
    and share the CPUs' caches (3 against 5 workers on 2 CPUs, measured: README, "Changes
    for issue 17 (the evening of 2026-12-07)"). Each worker also holds its own page
    cache and up to a database connection per thread and two for the page cache
    (app/database/pool.py), so a big host gets no more than 12; at 8 threads those 12 can
    hold 120 connections under full load: more than PostgreSQL's default 100, so such a
    host raises max_connections or sets fewer workers or threads."""
    return max(2, min(12, math.ceil(cpus) + 1))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Each worker listens on a socket of its own (SO_REUSEPORT) and the kernel spreads new
# connections over them. On one shared socket the first worker awake took most of a burst
# of new connections, and kept-alive ones (a proxy's) stayed there: one worker on one core
# while the others idled, at half the requests per second. The price: connections waiting
# in a stopping worker's queue are dropped (a HUP reload; a container restart stops all
# anyway), and a second gunicorn started on the same port shares it instead of failing.
reuse_port = os.environ.get("GUNICORN_REUSE_PORT", "1") != "0"
workers = int(os.environ.get("GUNICORN_WORKERS") or default_workers(usable_cpus()))
# Threads, not only processes: a request waiting for the database (a lock another holds,
# for at most DATABASE_LOCK_TIMEOUT_MS) takes one thread, not a whole worker, so a few
# such requests cannot stop every other page. Each busy thread holds a database
# connection, and SQLAlchemy pools 15 per worker: keep threads at most that.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5

# No worker recycling by default: at real load max_requests=5000 restarted each worker
# every few seconds and emptied its page cache (about 1 s p99 and 15 % less throughput).
# Nothing here is known to leak; GUNICORN_MAX_REQUESTS turns it on should that change.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10

# --- Logging ---------------------------------------------------------------------------

accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
# Personal links (/r/TOKEN and the like) are keys: redacted from every log line.
logger_class = "app.web.access_log.RedactingLogger"
# The combined format, and the time taken in milliseconds.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms %({x-request-id}o)s'

# --- Behind the proxy ------------------------------------------------------------------

# The TLS proxy in front sets X-Forwarded-*; the app trusts PROXY_HOPS of them (config.py).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# The app is loaded once, in the master, and the workers are forked from it ready to answer:
# with a socket of its own, a worker still loading the app (a second or two) held the
# connections the kernel had given it, at every start. They share its memory, too. Code
# changes need a restart (a HUP reloads the settings, not the code); each worker opens its
# own database connections (app/database/pool.py).
preload_app = True


def when_ready(server):
    """In the master, the app loaded, before the workers are forked. What each worker would
    do on its first requests is done here once (app/web/warm_up.py). What the master
    loaded lives as long as the workers do, so it is moved out of the garbage collector's
    way: a full collection walked those 200,000 objects and, under load, stopped every
    thread of a worker for 100-500 ms, most of the kept pages' p99."""
    from app.web.warm_up import warm_up

    warm_up(server.app.wsgi())
    gc.collect()
    gc.freeze()
