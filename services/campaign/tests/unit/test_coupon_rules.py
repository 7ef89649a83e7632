"""Coupon templates, codes and the rules that say whether a coupon may be used."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from libs.errors import InvalidArgument
from services.campaign.coupons.domain.codes import (
    ALPHABET,
    LENGTH,
    custom_code,
    new_codes,
    normalise,
)
from services.campaign.coupons.domain.coupons import (
    Coupon,
    CouponKind,
    Purchase,
    Refusal,
    issued_coupon,
    refusal,
    refused,
)
from services.campaign.coupons.domain.redemptions import RedeemRequest, Redemption, same_request
from services.campaign.coupons.domain.templates import (
    CouponTemplate,
    Discount,
    DiscountKind,
    TemplateDefinition,
    TemplateStatus,
    Validity,
    create,
    set_status,
    usable_for_issue,
)

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
TEN_OFF = TemplateDefinition(
    "CNY 10 off",
    Discount(DiscountKind.AMOUNT_OFF, Decimal("10.00"), "CNY"),
    Validity(days=30),
    min_total=Decimal("50.00"),
)


def a_coupon(
    definition: TemplateDefinition = TEN_OFF, kind: CouponKind = CouponKind.MEMBER
) -> tuple[Coupon, CouponTemplate]:
    template = create("ctp1", "t1", definition, NOW)
    member = "m1" if kind is CouponKind.MEMBER else ""
    coupon = issued_coupon(
        template, coupon_id="c1", code="ABCD", kind=kind, member_id=member, now=NOW
    )
    return coupon, template


def at(days: float, member_id: str = "m1", total: str | None = "80.00") -> Purchase:
    return Purchase(
        member_id, None if total is None else Decimal(total), "CNY", NOW + timedelta(days=days)
    )


def test_codes_are_twelve_unambiguous_characters_and_distinct() -> None:
    codes = new_codes(5000)

    assert len(set(codes)) == 5000
    assert all(len(c) == LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert not set("01IO") & set(ALPHABET)


def test_a_typed_code_is_read_without_case_spaces_or_dashes() -> None:
    assert normalise(" k7m2-qx9p ld4a ") == "K7M2QX9PLD4A"
    assert custom_code("welcome-10") == "WELCOME10"
    with pytest.raises(InvalidArgument):
        custom_code("no")


@pytest.mark.parametrize(
    ("discount", "message"),
    [
        (Discount(DiscountKind.AMOUNT_OFF, Decimal(0), "CNY"), "discount.amount"),
        (Discount(DiscountKind.AMOUNT_OFF, Decimal(5), "yuan"), "discount.currency"),
        (Discount(DiscountKind.PERCENT_OFF, percent=101), "discount.percent"),
        (Discount(DiscountKind.PERCENT_OFF, percent=0), "discount.percent"),
        (Discount(DiscountKind.FREE_ITEM), "discount.sku"),
        (Discount(DiscountKind.PERCENT_OFF, Decimal(5), percent=10), "percent_off takes only"),
    ],
)
def test_a_template_that_could_not_work_is_refused(discount: Discount, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        create("ctp1", "t1", replace(TEN_OFF, discount=discount), NOW)


def test_a_window_that_ends_before_it_starts_is_refused() -> None:
    window = Validity(NOW, NOW - timedelta(days=1))

    with pytest.raises(InvalidArgument, match=r"validity\.ends_at"):
        create("ctp1", "t1", replace(TEN_OFF, validity=window), NOW)


def test_days_after_issue_are_capped_by_the_templates_end() -> None:
    capped = replace(TEN_OFF, validity=Validity(ends_at=NOW + timedelta(days=10), days=30))
    coupon, _ = a_coupon(capped)

    assert coupon.valid_until == NOW + timedelta(days=10)


def test_a_coupon_applies_to_its_member_within_its_window_and_minimum() -> None:
    coupon, template = a_coupon()

    assert refusal(coupon, template, at(1)) is None
    assert refusal(coupon, template, at(31)) is Refusal.EXPIRED
    assert refusal(coupon, template, at(1, member_id="m2")) is Refusal.WRONG_MEMBER
    assert refusal(coupon, template, at(1, total="49.99")) is Refusal.MIN_TOTAL_NOT_MET
    assert refusal(coupon, template, at(1, total=None)) is None


def test_a_used_up_or_paused_coupon_is_refused() -> None:
    coupon, template = a_coupon()
    paused = set_status(template, TemplateStatus.PAUSED, NOW)

    assert refusal(replace(coupon, redemptions=1), template, at(1)) is Refusal.USED_UP
    assert refusal(coupon, paused, at(1)) is Refusal.TEMPLATE_PAUSED
    with pytest.raises(Exception, match="paused") as caught:
        usable_for_issue(paused, NOW)
    assert getattr(caught.value, "code", "") == "coupon_template_paused"


def test_an_amount_off_in_another_currency_does_not_apply() -> None:
    coupon, template = a_coupon()
    purchase = replace(at(1), currency="USD")

    assert refusal(coupon, template, purchase) is Refusal.CURRENCY_MISMATCH


def test_a_public_code_with_a_per_member_limit_needs_a_member() -> None:
    coupon, template = a_coupon(kind=CouponKind.PUBLIC)
    limited = replace(coupon, per_member_limit=1, max_redemptions=100)

    assert refusal(limited, template, at(1, member_id="")) is Refusal.MEMBER_REQUIRED
    assert refusal(limited, template, at(1, member_id="m9")) is None


def test_each_refusal_has_its_problem_code() -> None:
    assert refused(Refusal.USED_UP).code == "coupon_used_up"
    assert refused(Refusal.EXPIRED).code == "coupon_expired"
    assert refused(Refusal.WRONG_MEMBER).code == "coupon_not_applicable"
    assert "coupon_wrong_member" in refused(Refusal.WRONG_MEMBER).message


def test_the_same_redemption_id_for_another_coupon_is_a_conflict() -> None:
    first = RedeemRequest("t1", "r1", "ABCD", "m1", "o1", Decimal(80), "CNY", "pos", "S001")
    recorded = Redemption(
        "r1",
        "t1",
        "c1",
        "ABCD",
        "ctp1",
        "m1",
        "o1",
        Decimal(80),
        "CNY",
        "pos",
        "S001",
        NOW,
        0,
        first.fingerprint(),
    )

    assert same_request(recorded, replace(first, code="ab-cd")) is recorded
    with pytest.raises(Exception, match="another coupon") as caught:
        same_request(recorded, replace(first, code="WXYZ"))
    assert getattr(caught.value, "code", "") == "redemption_conflict"
