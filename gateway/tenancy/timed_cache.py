"""Answers read from a tenant's document, kept a few seconds in each gateway process, so a
request costs no read of it. Unknown keys are kept too (their lookup is as dear), so the
cache is bounded: past the limit expired entries go, and if that is not enough, all of them.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TimedCache(Generic[K, V]):
    def __init__(
        self, seconds: float, *, clock: Callable[[], float] = time.monotonic, limit: int = 10_000
    ) -> None:
        self._seconds = seconds
        self._clock = clock
        self._limit = limit
        self._entries: dict[K, tuple[float, V]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    async def through(self, key: K, load: Callable[[], Awaitable[V]]) -> V:
        """The kept answer for `key`, or `load`'s, kept from now on (never when the cache
        time is 0)."""
        now = self._clock()
        kept = self._entries.get(key)
        if kept is not None and kept[0] > now:
            return kept[1]
        value = await load()
        if self._seconds > 0:
            self._make_room(now)
            self._entries[key] = (now + self._seconds, value)
        return value

    def forget(self, key: K) -> None:
        """`key` changed here: load it again at its next read."""
        self._entries.pop(key, None)

    def clear(self) -> None:
        """Everything changed: load each key again at its next read."""
        self._entries.clear()

    def _make_room(self, now: float) -> None:
        if len(self._entries) < self._limit:
            return
        self._entries = {k: entry for k, entry in self._entries.items() if entry[0] > now}
        if len(self._entries) >= self._limit:
            self._entries.clear()
