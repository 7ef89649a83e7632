from __future__ import annotations

import pytest

from gateway.edge.idempotency.fingerprint import (
    canonical_body,
    key_problem,
    record_id,
    request_fingerprint,
)
from gateway.edge.json_depth import nesting_depth, too_deep


def test_formatting_and_key_order_do_not_change_the_fingerprint() -> None:
    compact = b'{"a":1,"b":{"y":[1,2],"x":"z"}}'
    spaced = b'{ "b": {"x": "z", "y": [1, 2]},\n  "a": 1 }'

    assert request_fingerprint("POST", "/v1/members", compact) == request_fingerprint(
        "post", "/v1/members", spaced
    )


def test_another_value_changes_the_fingerprint() -> None:
    first = request_fingerprint("POST", "/v1/members", b'{"a": 1}')

    assert first != request_fingerprint("POST", "/v1/members", b'{"a": 2}')
    assert first != request_fingerprint("POST", "/v1/members", b'{"a": "1"}')


def test_the_same_body_on_another_path_is_another_request() -> None:
    body = b"{}"

    assert request_fingerprint("POST", "/v1/redemptions/r1/capture", body) != (
        request_fingerprint("POST", "/v1/redemptions/r2/capture", body)
    )


def test_a_body_that_is_not_json_counts_byte_for_byte() -> None:
    assert canonical_body(b"{not json") == canonical_body(b"{not json")
    assert canonical_body(b"{not json") != canonical_body(b"{not json ")
    assert canonical_body(b"  ") == ""


def test_non_ascii_text_is_canonical_whatever_its_escaping() -> None:
    assert canonical_body('{"name": "李雷"}'.encode()) == canonical_body(
        b'{"name": "\\u674e\\u96f7"}'
    )


@pytest.mark.parametrize("value", ["a", "order-123 retry 2", "~" * 255, "key:with/punct.uation"])
def test_printable_keys_up_to_255_characters_are_accepted(value: str) -> None:
    assert key_problem(value) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("k" * 256, "255"),
        ("tab\there", "printable"),
        ("caf\u00e9", "printable"),
    ],
)
def test_empty_long_or_unprintable_keys_are_refused(value: str, reason: str) -> None:
    problem = key_problem(value)

    assert problem is not None
    assert reason in problem


def test_the_same_key_of_two_callers_is_two_records() -> None:
    assert record_id("key_a", "k1") != record_id("key_b", "k1")
    assert record_id("key_a", "k1") == record_id("key_a", "k1")


def test_nesting_is_counted_outside_strings_only() -> None:
    assert nesting_depth(b'{"a": [1, {"b": "[[[[{{{{"}]}') == 3
    assert nesting_depth(b'"\\"[[["') == 0
    assert too_deep(b"[" * 33 + b"]" * 33)
    assert not too_deep(b"[" * 32 + b"]" * 32)


def test_a_body_too_deep_to_parse_is_fingerprinted_by_its_bytes() -> None:
    deep = b"[" * 5000 + b"]" * 5000

    assert canonical_body(deep).startswith("bytes:")


def test_the_query_string_is_part_of_the_fingerprint_but_not_its_order() -> None:
    plain = request_fingerprint("POST", "/v1/x", b"{}")
    dry = request_fingerprint("POST", "/v1/x", b"{}", "dry_run=true&a=1")

    assert dry != plain
    assert dry == request_fingerprint("POST", "/v1/x", b"{}", "a=1&dry_run=true")
