"""Where built public feeds are kept: Redis, shared by every worker and instance, when one is
configured; else this process's memory.

Only public data goes in (calendar.public_feeds puts the public feeds here, never a personal
or coordinator feed). Every value is stored under a key that names its exact content (a
validator, which changes with the data), so a value never needs invalidating: a copy kept in
this process for a key read from Redis is as good as Redis's, and keys of past versions simply
age out. A Redis that fails makes the cache a miss (logged): the feed is built, never refused.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict

from flask import Flask, current_app

log = logging.getLogger(__name__)

#: How long a kept value lives in Redis: past versions go by themselves.
TTL_SECONDS = 24 * 3600
#: Bytes kept in each process's memory (a 1,000-event feed is about 50 KB gzipped).
LOCAL_BYTES = 64 * 1024 * 1024
#: How long a failed Redis is left alone before it is tried again.
RETRY_SECONDS = 30


class LocalStore:
    """Values in this process's memory, the least recently used dropped past `limit` bytes."""

    def __init__(self, limit: int = LOCAL_BYTES):
        self._values: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._limit = limit
        self._lock = threading.RLock()

    @property
    def local(self) -> LocalStore:
        return self

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: str, value: bytes, ttl: int | None = None) -> None:
        # `ttl` is for Redis: here the least recently used go first anyway.
        with self._lock:
            if (old := self._values.pop(key, None)) is not None:
                self._size -= len(old)
            self._values[key] = value
            self._size += len(value)
            while self._size > self._limit and len(self._values) > 1:
                _key, dropped = self._values.popitem(last=False)
                self._size -= len(dropped)

    def get_many(self, keys: list[str]) -> list[bytes | None]:
        return [self.get(key) for key in keys]

    def put_many(self, values: dict[str, bytes]) -> None:
        for key, value in values.items():
            self.put(key, value)

    def claim(self, key: str, value: bytes) -> bytes:
        """The value kept under `key`, `value` if there was none."""
        with self._lock:
            if (kept := self._values.get(key)) is not None:
                return kept
            self.put(key, value)
            return value


class SharedStore:
    """Redis behind this process's own copies."""

    def __init__(self, url: str, prefix: str):
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self._prefix = prefix
        self._local = LocalStore()
        self._failed_at: float | None = None

    @property
    def local(self) -> LocalStore:
        """This process's own copies: for what need not be shared."""
        return self._local

    def _available(self) -> bool:
        return self._failed_at is None or time.monotonic() - self._failed_at > RETRY_SECONDS

    def _failed(self, error: Exception) -> None:
        self._failed_at = time.monotonic()
        log.warning("feed cache: Redis failed (%s); building feeds in this process", error)

    def get(self, key: str) -> bytes | None:
        if (value := self._local.get(key)) is not None or not self._available():
            return value
        try:
            value = self._redis.get(self._prefix + key)
        except Exception as error:  # noqa: BLE001 - any Redis trouble is a miss
            self._failed(error)
            return None
        if value is not None:
            self._local.put(key, value)
        return value

    def put(self, key: str, value: bytes, ttl: int | None = None) -> None:
        """`ttl`: seconds Redis keeps it, TTL_SECONDS unless said (page_cache's keys name a
        minute: they need no day)."""
        self._local.put(key, value)
        if self._available():
            try:
                self._redis.set(self._prefix + key, value, ex=ttl or TTL_SECONDS)
            except Exception as error:  # noqa: BLE001
                self._failed(error)

    def get_many(self, keys: list[str]) -> list[bytes | None]:
        """In one round trip for those this process does not hold."""
        found = self._local.get_many(keys)
        missing = [key for key, value in zip(keys, found, strict=True) if value is None]
        if not missing or not self._available():
            return found
        try:
            values = self._redis.mget([self._prefix + key for key in missing])
            fetched = dict(zip(missing, values, strict=True))
        except Exception as error:  # noqa: BLE001
            self._failed(error)
            return found
        self._local.put_many({key: value for key, value in fetched.items() if value is not None})
        return [
            value if value is not None else fetched[key]
            for key, value in zip(keys, found, strict=True)
        ]

    def put_many(self, values: dict[str, bytes]) -> None:
        self._local.put_many(values)
        if values and self._available():
            try:
                pipe = self._redis.pipeline(transaction=False)
                for key, value in values.items():
                    pipe.set(self._prefix + key, value, ex=TTL_SECONDS)
                pipe.execute()
            except Exception as error:  # noqa: BLE001
                self._failed(error)

    def claim(self, key: str, value: bytes) -> bytes:
        if (kept := self._local.get(key)) is not None:
            return kept
        if self._available():
            try:
                pipe = self._redis.pipeline(transaction=False)
                pipe.set(self._prefix + key, value, ex=TTL_SECONDS, nx=True)
                pipe.get(self._prefix + key)
                value = pipe.execute()[1] or value
            except Exception as error:  # noqa: BLE001
                self._failed(error)
        return self._local.claim(key, value)


def cache_url(config) -> str | None:
    """The Redis address feeds are kept at, or None for this process's memory."""
    url = config.get("HYTU_FEED_CACHE_URI") or ""
    if not url:
        url = config.get("RATELIMIT_STORAGE_URI") or ""
    return url if url.partition("://")[0].lower() in ("redis", "rediss") else None


def init_app(app: Flask) -> None:
    url = cache_url(app.config)
    prefix = f"{app.config.get('RATELIMIT_KEY_PREFIX') or ''}hytu-feeds:"
    app.extensions["hytu_feed_cache"] = SharedStore(url, prefix) if url else LocalStore()


def feed_cache() -> LocalStore | SharedStore:
    return current_app.extensions["hytu_feed_cache"]
