"""gunicorn settings for Samverkan: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Every value can be overridden from the environment, so one file serves a laptop,
a virtual machine and a container.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# The app keeps no state in process memory, so workers (and machines) can be added freely.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Threads, not only processes: a request waiting for the database (a lock another holds,
# for at most DATABASE_LOCK_TIMEOUT_MS) takes one thread, not a whole worker, so a few
# such requests cannot stop every other page. Each busy thread holds a database
# connection, and SQLAlchemy pools 15 per worker: keep threads at most that.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, so a slow leak in any library never grows without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
# The TLS proxy in front sets X-Forwarded-*; the app trusts PROXY_HOPS of them (config.py).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
