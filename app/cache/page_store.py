"""Where the page cache (app/cache/page_cache.py) keeps rendered pages.

Two stores answer the same two calls, `current(key, version)` and `put(key, entry)`:
`PageStore`, this process's own copies, and with REDIS_URL set `SharedPageStore`
(app/cache/shared_pages.py), the same copies shared through Redis with this process's in
front. Either gives a page back only under the content version it was rendered at, so
neither can serve a page older than the last commit.
"""

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock


@dataclass(frozen=True)
class Entry:
    version: tuple[int, ...]
    # time.monotonic() after which the page is not served (it depends on the clock too).
    expires: float
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    # Compressed once when kept, for the browsers and calendar programs that accept it.
    gzipped: bytes | None = None
    # Parts filled in at each answer (app/cache/live_parts.py): (macro, key) by marker, and
    # the marker; `body` then holds the markers, and `memo` its pieces and the last filled
    # page with its gzipped body (not counted in `size`: at most about three more copies).
    # The values the render filled in, and the content versions read before them.
    live: tuple = ()
    nonce: str = ""
    live_values: tuple = ()
    live_read_at: tuple = ()
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"")

    def is_current(self, version: tuple[int, ...]) -> bool:
        return self.version == version and self.expires > time.monotonic()


class PageStore:
    """Rendered pages by key, within a number and a total size; thread-safe."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = Lock()

    def get(self, key: tuple) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def current(self, key: tuple, version: tuple[int, ...]) -> Entry | None:
        """The page kept under `key` if it was rendered at `version` and has not expired."""
        entry = self.get(key)
        return entry if entry is not None and entry.is_current(version) else None

    def fits(self, entry: Entry) -> bool:
        return entry.size <= self.max_bytes // 4  # one huge answer would push out everything else

    def put(self, key: tuple, entry: Entry) -> None:
        if not self.fits(entry):
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = entry
            self._bytes += entry.size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


def make_store(config) -> "PageStore":
    """This process's store, shared through Redis when REDIS_URL is set."""
    local = PageStore(config["PAGE_CACHE_ENTRIES"], config["PAGE_CACHE_BYTES"])
    if not config.get("REDIS_URL"):
        return local
    # lazy: the redis client is needed only with Redis
    from app.cache.shared_pages import SharedPageStore

    return SharedPageStore(local, config["REDIS_URL"], config["PAGE_CACHE_REDIS_PREFIX"])
