"""The rules of keyed batches, without storage."""

from __future__ import annotations

import pytest

from libs.errors import InvalidArgument
from services.campaign.coupons.domain.batches import (
    MAX_REQUEST_ID,
    checked_request_id,
    empty_places,
)


def test_a_batch_with_no_code_yet_has_every_place_empty() -> None:
    assert empty_places(4, set()) == [0, 1, 2, 3]


def test_only_the_places_without_a_code_are_left_to_fill() -> None:
    assert empty_places(6, {0, 1, 4}) == [2, 3, 5]


def test_a_full_batch_has_no_place_left() -> None:
    assert empty_places(3, {2, 0, 1}) == []


def test_a_request_id_longer_than_a_key_should_be_is_refused() -> None:
    with pytest.raises(InvalidArgument):
        checked_request_id("k" * (MAX_REQUEST_ID + 1))


def test_a_request_id_of_an_operation_step_is_taken_as_given() -> None:
    assert checked_request_id("op_123:4") == "op_123:4"
