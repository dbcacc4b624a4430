"""Kept pages shared by every worker and machine through Redis, with a local copy in front.

Without it each gunicorn worker renders a page again after every change (5 workers: five
renderings of the same page). With REDIS_URL set, the first worker to render a page at the
current content version puts it in Redis; the others take it from there, keep a copy of
their own and serve that until the version changes.

The Redis key holds the content version the page was rendered at (as well as the page's
own key), so a page is only ever found under the version it shows: after a commit raises
the version, the old copies are simply never asked for again and expire with their time
to live (PAGE_CACHE_SECONDS, the same limit as in the process). Nothing is deleted, so no
commit can race an invalidation.

Redis is a help, never a need: when it does not answer, pages are kept in the process as
without it, the failure is logged once, and Redis is tried again after a pause.
"""

import hashlib
import json
import logging
import time
from threading import Lock

import redis

from app.cache.page_store import Entry, PageStore

log = logging.getLogger(__name__)

# Short: a kept page must cost less than rendering it, even when Redis is slow.
TIMEOUT_SECONDS = 0.25
# What an entry holds, in its key: raised when that changes (live parts: 2), so during a
# rolling deploy old and new workers never read each other's entries.
FORMAT = 2
# After a failure, Redis is left alone this long, so a Redis that is down costs nothing per request.
RETRY_AFTER_SECONDS = 5.0


class SharedPageStore:
    """A PageStore of this process in front of Redis; the same `current` and `put`."""

    def __init__(self, local: PageStore, url: str, prefix: str) -> None:
        self.local, self.prefix = local, prefix
        self.redis = redis.Redis.from_url(url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS)
        self._resting_until = 0.0
        self._lock = Lock()

    def redis_key(self, key: tuple, version: tuple[int, ...]) -> str:
        digest = hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
        return f"{self.prefix}{FORMAT}:{digest}:{'.'.join(map(str, version))}"

    def current(self, key: tuple, version: tuple[int, ...]) -> Entry | None:
        entry = self.local.current(key, version)
        if entry is not None or not self._redis_usable():
            return entry
        try:
            fields = self.redis.hgetall(self.redis_key(key, version))
        except redis.RedisError as error:
            self._failed(error)
            return None
        self._answered()
        entry = _decoded(fields, version)
        if entry is not None and entry.is_current(version):
            self.local.put(key, entry)
            return entry
        return None

    def put(self, key: tuple, entry: Entry) -> None:
        self.local.put(key, entry)
        ttl_ms = int((entry.expires - time.monotonic()) * 1000)
        if ttl_ms <= 0 or not self.local.fits(entry) or not self._redis_usable():
            return
        name = self.redis_key(key, entry.version)
        try:
            with self.redis.pipeline(transaction=True) as pipe:
                pipe.hset(name, mapping=_encoded(entry))
                pipe.pexpire(name, ttl_ms)
                pipe.execute()
        except redis.RedisError as error:
            self._failed(error)
            return
        self._answered()

    def clear(self) -> None:
        """This process's copies only; Redis keeps what other processes may still use."""
        self.local.clear()

    def __len__(self) -> int:
        return len(self.local)

    def _redis_usable(self) -> bool:
        return time.monotonic() >= self._resting_until

    def _failed(self, error: Exception) -> None:
        with self._lock:
            first = self._resting_until == 0.0
            self._resting_until = time.monotonic() + RETRY_AFTER_SECONDS
        if first:
            log.warning(
                "Redis does not answer (%s): pages are kept in this process only, trying again every %d s",
                error,
                RETRY_AFTER_SECONDS,
            )

    def _answered(self) -> None:
        if self._resting_until:
            with self._lock:
                self._resting_until = 0.0
            log.info("Redis answers again: kept pages are shared again")


def _encoded(entry: Entry) -> dict[str, bytes]:
    # The time left, as a wall-clock moment: monotonic clocks differ between machines.
    meta = {
        "status": entry.status,
        "headers": entry.headers,
        "expires_at": time.time() + (entry.expires - time.monotonic()),
        "live": entry.live,
        "nonce": entry.nonce,
        "live_values": entry.live_values,
        "live_read_at": entry.live_read_at,
    }
    fields = {"meta": json.dumps(meta).encode(), "body": entry.body}
    if entry.gzipped is not None:
        fields["gzipped"] = entry.gzipped
    return fields


def _decoded(fields: dict[bytes, bytes], version: tuple[int, ...]) -> Entry | None:
    if b"meta" not in fields or b"body" not in fields:
        return None  # nothing kept, or a copy half expired
    meta = json.loads(fields[b"meta"])
    expires = time.monotonic() + (meta["expires_at"] - time.time())
    headers = [(name, value) for name, value in meta["headers"]]
    return Entry(
        version,
        expires,
        meta["status"],
        headers,
        fields[b"body"],
        fields.get(b"gzipped"),
        live=tuple((name, key) for name, key in meta.get("live", ())),
        nonce=meta.get("nonce", ""),
        live_values=tuple(meta.get("live_values", ())),
        live_read_at=tuple((scope, number) for scope, number in meta.get("live_read_at", ())),
    )
