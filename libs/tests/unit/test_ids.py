"""Ids sort by creation time, carry their prefix, and do not repeat."""

from __future__ import annotations

import re
import secrets
import time

from libs.ids import _base32, new_id

CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def millis_of(identifier: str) -> int:
    value = 0
    for char in identifier[:10]:
        value = value * 32 + CROCKFORD.index(char)
    return value


def test_an_id_is_its_prefix_then_26_lower_case_crockford_characters() -> None:
    identifier = new_id("mem_")

    assert re.fullmatch(r"mem_[0-9a-hjkmnp-tv-z]{26}", identifier)


def test_an_id_starts_with_the_millisecond_it_was_made() -> None:
    before = time.time_ns() // 1_000_000
    identifier = new_id()
    after = time.time_ns() // 1_000_000

    assert before <= millis_of(identifier) <= after


def test_ids_made_in_later_milliseconds_sort_after_earlier_ones() -> None:
    made = []
    for _ in range(5):
        made.append(new_id("evt_"))
        time.sleep(0.002)

    assert sorted(made) == made


def test_ids_made_in_the_same_millisecond_do_not_repeat() -> None:
    made = [new_id() for _ in range(20_000)]

    assert len(set(made)) == len(made)


def test_ids_made_in_one_process_sort_in_the_order_they_were_made() -> None:
    made = [new_id("au") for _ in range(5_000)]

    assert sorted(made) == made


def digits_by_division(value: int, length: int) -> str:
    """Base32 the slow, obvious way: the last `length` digits of `value`."""
    digits = ""
    for _ in range(length):
        value, rem = divmod(value, 32)
        digits = CROCKFORD[rem] + digits
    return digits


def test_the_parts_of_an_id_are_their_values_in_crockford_base32_most_significant_first() -> None:
    values = [0, 1, 31, 32, 2**48 - 1, 2**50 + 5, 2**80 - 1, 2**80 + 7]
    values += [secrets.randbits(140) for _ in range(1_000)]
    for value in values:
        for length in (10, 16, 26):
            assert _base32(value, length) == digits_by_division(value, length)
