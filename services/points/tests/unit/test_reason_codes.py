"""A grant's reason code and parameters reach its ledger entry; malformed ones are refused."""

from __future__ import annotations

import pytest

from libs.errors import InvalidArgument
from services.points.domain.grants import parse_grant
from services.points.domain.ledger import EntryType

PARAMS = (("campaign_id", "c1"), ("version", "2"), ("name", "Shoes"), ("name.zh-CN", "鞋"))


def test_a_grant_with_a_code_posts_an_entry_with_the_code_and_its_parameters() -> None:
    grant = parse_grant(
        "c1:2:evt-1",
        "m1",
        40,
        campaign_id="c1",
        campaign_version=2,
        reason="Shoes (v2)",
        reason_code="campaign_bonus",
        reason_params=PARAMS,
    )
    posting = grant.posting()
    assert (posting.type, posting.reason) == (EntryType.BONUS, "Shoes (v2)")
    assert (posting.reason_code, posting.reason_params) == ("campaign_bonus", PARAMS)
    assert grant.line().reason_params == PARAMS


def test_a_grant_without_a_code_posts_its_text_only() -> None:
    posting = parse_grant("k-1", "m1", 5, reason="goodwill").posting()
    assert (posting.reason_code, posting.reason_params) == ("", ())


@pytest.mark.parametrize(
    ("code", "params", "field"),
    [
        ("Campaign Bonus", (), "reason_code"),
        ("", PARAMS, "reason_params"),
        ("campaign_bonus", tuple((f"p{n}", "x") for n in range(51)), "reason_params"),
    ],
)
def test_a_malformed_reason_code_or_parameters_are_refused(
    code: str, params: tuple[tuple[str, str], ...], field: str
) -> None:
    with pytest.raises(InvalidArgument, match=f"^{field}:"):
        parse_grant("k-1", "m1", 5, reason_code=code, reason_params=params)
