"""The holdout hash: the same member always on the same side, about the share asked."""

from __future__ import annotations

import hashlib

import pytest

from libs.holdout import held_out

pytestmark = pytest.mark.unit


def test_no_holdout_holds_no_one_out_and_a_full_one_everyone() -> None:
    assert not any(held_out("c", f"m{n}", 0) for n in range(200))
    assert all(held_out("c", f"m{n}", 100) for n in range(200))


def test_about_the_share_asked_is_held_out_and_always_the_same_members() -> None:
    out = [n for n in range(2000) if held_out("camp-1", f"m{n}", 20)]

    assert 300 < len(out) < 500
    assert out == [n for n in range(2000) if held_out("camp-1", f"m{n}", 20)]


def test_the_hash_is_the_documented_one() -> None:
    digest = hashlib.sha256(b"camp-1:m7").digest()
    expected = int.from_bytes(digest[:8], "big") % 100 < 50

    assert held_out("camp-1", "m7", 50) is expected
