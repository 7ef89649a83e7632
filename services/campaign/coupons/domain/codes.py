"""Coupon codes: cryptographically random, in an alphabet that cannot be misread.

Twelve characters of 32 give 60 random bits: with a million live codes a guess still hits
one with odds below one in a billion, so codes need no check digit to be unguessable.
Codes are kept upper case without separators; what a shopper types is normalised first.
"""

from __future__ import annotations

import re
import secrets

from libs.errors import InvalidArgument

# No 0/O, 1/I; L is kept (it is not confused once upper case).
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 12
_BITS = 5
_CUSTOM = re.compile(r"[A-Z0-9]{4,32}")


def new_code() -> str:
    value = int.from_bytes(secrets.token_bytes(8), "big")
    chars = []
    for _ in range(LENGTH):
        value, rem = divmod(value, 1 << _BITS)
        chars.append(ALPHABET[rem])
    return "".join(chars)


def new_codes(count: int) -> list[str]:
    """`count` codes, distinct among themselves (the store's unique index guards the rest)."""
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_code())
    return list(codes)


def normalise(raw: str) -> str:
    """What was typed or scanned, as stored: upper case, without spaces or dashes."""
    return re.sub(r"[\s\-]", "", raw).upper()


def custom_code(raw: str) -> str:
    """An operator's own public code, such as WELCOME10."""
    code = normalise(raw)
    if not _CUSTOM.fullmatch(code):
        raise InvalidArgument("code: 4 to 32 letters and digits")
    return code
