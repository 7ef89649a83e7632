from __future__ import annotations

import pytest

from gateway.edge.request_id import accepted_request_id


@pytest.mark.parametrize("value", ["abc", "A-b_c.9", "x" * 128, "01jd3w6w4q2a7mzk9x0b1c2d3e"])
def test_a_sane_request_id_from_the_caller_is_kept(value: str) -> None:
    assert accepted_request_id(value) == value


@pytest.mark.parametrize(
    "value",
    [None, "", "x" * 129, "has space", "semi;colon", "new\nline", "ünïcode", "a/b", "<script>"],
)
def test_an_unusable_request_id_from_the_caller_is_replaced(value: str | None) -> None:
    assert accepted_request_id(value) is None
