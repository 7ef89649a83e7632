"""Identifiers: time-ordered, URL-safe, unguessable. Every id of every service comes from here."""

from __future__ import annotations

import base64
import os
import threading
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case
_RANDOM_BITS = 80
# RFC 4648's base32 digits, in value order, to Crockford's: the encoding runs in C (every
# request's id is made here, docs/performance.md).
_CROCKFORD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", _ALPHABET.encode())


def _base32(value: int, length: int) -> str:
    """The low `length * 5` bits of `value` as `length` digits, most significant first."""
    bits = length * 5
    padding = -bits % 40  # base32 encodes whole groups of 5 bytes
    raw = ((value & ((1 << bits) - 1)) << padding).to_bytes((bits + padding) // 8, "big")
    return base64.b32encode(raw)[:length].translate(_CROCKFORD).decode()


class _MonotonicIds:
    """ULID-style ids, strictly increasing within this process: within one millisecond
    the random part of the last id is incremented, so ids page in creation order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._millis = 0
        self._random = 0

    def next(self, prefix: str) -> str:
        with self._lock:
            millis = time.time_ns() // 1_000_000
            if millis > self._millis:
                self._millis = millis
                self._random = int.from_bytes(os.urandom(10), "big")
            else:
                self._random += 1
                if self._random >> _RANDOM_BITS:  # the random part ran over: borrow a millisecond
                    self._millis += 1
                    self._random = int.from_bytes(os.urandom(10), "big")
            # 10 digits of milliseconds then 16 of the random part, encoded at once
            return prefix + _base32(self._millis << _RANDOM_BITS | self._random, 26)


_ids = _MonotonicIds()


def new_id(prefix: str = "") -> str:
    """A ULID-style id: 48 bits of milliseconds then 80 random bits, so ids sort by time."""
    return _ids.next(prefix)
