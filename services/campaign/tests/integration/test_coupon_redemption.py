"""Redeeming coupons over real MongoDB: never beyond their limits under concurrency, and
once per redemption id."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal
from uuid import uuid4

import pytest

from libs.clock import FakeClock
from libs.errors import DomainError
from libs.mongo import MongoClient, make_client
from services.campaign.coupons.domain.issues import CouponIssue
from services.campaign.coupons.domain.redemptions import RedeemRequest
from services.campaign.coupons.handlers.admin import (
    PublicCode,
    batch_coupons,
    create_public_code,
    generate_coupons,
)
from services.campaign.coupons.handlers.issue import Coupons
from services.campaign.coupons.handlers.redeem import Redeemed, redeem_coupon
from services.campaign.tests.integration.coupon_support import (
    NOW,
    CouponUow,
    coupon_uow,
    stored_template,
    ten_off,
)


@pytest.fixture
async def client(mongo_url: str) -> AsyncIterator[MongoClient]:
    mongo: MongoClient = make_client(mongo_url, app_name="coupon-tests")
    yield mongo
    await mongo.close()


clock = FakeClock(NOW)


def request(code: str, member_id: str, redemption_id: str = "") -> RedeemRequest:
    return RedeemRequest(
        tenant_id="t1",
        redemption_id=redemption_id or f"r-{uuid4().hex[:8]}",
        code=code,
        member_id=member_id,
        order_id=f"o-{uuid4().hex[:8]}",
        total=Decimal("80.00"),
        currency="CNY",
        channel="pos",
        store_id="S001",
    )


async def outcomes(tries: list[asyncio.Future[Redeemed]]) -> tuple[int, set[str]]:
    answers = await asyncio.gather(*tries, return_exceptions=True)
    codes = {a.code for a in answers if isinstance(a, DomainError)}
    unexpected = [a for a in answers if not isinstance(a, (DomainError, Redeemed))]
    assert not unexpected
    return sum(isinstance(a, Redeemed) for a in answers), codes


async def member_coupon(uow: CouponUow, member_id: str) -> str:
    template = await stored_template(uow, ten_off("t1"))
    issue = CouponIssue("t1", member_id, template.template_id, f"op:{uuid4().hex}")
    return (await Coupons(uow, lambda: NOW).issue(issue)).code


async def test_a_coupon_redeemed_by_two_tills_at_once_succeeds_once(client: MongoClient) -> None:
    db, uow = await coupon_uow(client)
    code = await member_coupon(uow, "m1")

    won, refusals = await outcomes(
        [asyncio.ensure_future(redeem_coupon(request(code, "m1"), uow, clock)) for _ in range(2)]
    )

    assert won == 1
    assert refusals == {"coupon_used_up"}
    assert await db["coupon_redemptions"].count_documents({}) == 1
    assert await db["outbox"].count_documents({"event_type": "coupon.redeemed"}) == 1


async def test_a_public_code_limited_to_3_is_used_exactly_3_times_by_8_tills(
    client: MongoClient,
) -> None:
    _, uow = await coupon_uow(client)
    template = await stored_template(uow, ten_off("t1"))
    public = await create_public_code(
        PublicCode("t1", template.template_id, "", usage_limit=3, per_member_limit=None), uow, clock
    )

    won, refusals = await outcomes(
        [
            asyncio.ensure_future(redeem_coupon(request(public.code, f"m{i}"), uow, clock))
            for i in range(8)
        ]
    )

    assert won == 3
    assert refusals == {"coupon_used_up"}


async def test_the_same_redemption_id_answers_the_first_redemption(client: MongoClient) -> None:
    _, uow = await coupon_uow(client)
    code = await member_coupon(uow, "m1")
    first_request = request(code, "m1", "till-7:0001")

    first = await redeem_coupon(first_request, uow, clock)
    again = await redeem_coupon(first_request, uow, clock)

    assert not first.replayed
    assert again.replayed
    assert again.redemption == first.redemption
    assert again.coupon.redemptions == 1


async def test_a_retry_racing_the_first_call_is_answered_once(client: MongoClient) -> None:
    db, uow = await coupon_uow(client)
    code = await member_coupon(uow, "m1")
    same = request(code, "m1", "till-7:0002")

    answers = await asyncio.gather(*(redeem_coupon(same, uow, clock) for _ in range(3)))

    assert sum(not a.replayed for a in answers) == 1
    assert {a.redemption.redemption_id for a in answers} == {"till-7:0002"}
    assert await db["outbox"].count_documents({"event_type": "coupon.redeemed"}) == 1


async def test_a_public_code_counts_each_members_uses(client: MongoClient) -> None:
    _, uow = await coupon_uow(client)
    template = await stored_template(uow, ten_off("t1"))
    code = f"WELCOME{uuid4().hex[:6].upper()}"
    await create_public_code(
        PublicCode("t1", template.template_id, code, usage_limit=100, per_member_limit=1),
        uow,
        clock,
    )

    await redeem_coupon(request(code.lower(), "m1"), uow, clock)
    with pytest.raises(DomainError) as refused:
        await redeem_coupon(request(code, "m1"), uow, clock)
    await redeem_coupon(request(code, "m2"), uow, clock)

    assert refused.value.code == "coupon_used_up"
    assert "coupon_member_limit_reached" in refused.value.message


async def test_one_member_at_four_tills_uses_a_once_per_member_code_once(
    client: MongoClient,
) -> None:
    _, uow = await coupon_uow(client)
    template = await stored_template(uow, ten_off("t1"))
    public = await create_public_code(
        PublicCode("t1", template.template_id, "", usage_limit=100, per_member_limit=1), uow, clock
    )

    won, refusals = await outcomes(
        [
            asyncio.ensure_future(redeem_coupon(request(public.code, "m1"), uow, clock))
            for _ in range(4)
        ]
    )

    assert won == 1
    assert refusals == {"coupon_used_up"}


async def test_bulk_generation_stores_every_code_once(client: MongoClient) -> None:
    db, uow = await coupon_uow(client)
    template = await stored_template(uow, ten_off("t1"))

    batch_id, count = await generate_coupons("t1", template.template_id, 2500, uow, clock)
    first = await batch_coupons("t1", batch_id, "", 1000, uow)
    rest = await batch_coupons("t1", batch_id, first[-1].code, 1000, uow)

    assert count == 2500
    assert await db["coupons"].count_documents({"batch_id": batch_id}) == 2500
    assert len(await db["coupons"].distinct("code", {"batch_id": batch_id})) == 2500
    assert len(first) == 1000
    assert first[-1].code < rest[0].code


async def test_the_codes_of_a_batch_the_tenant_does_not_have_are_not_found(
    client: MongoClient,
) -> None:
    _, uow = await coupon_uow(client)
    template = await stored_template(uow, ten_off("t1"))
    batch_id, _ = await generate_coupons("t1", template.template_id, 3, uow, clock)

    with pytest.raises(DomainError) as other_tenant:
        await batch_coupons("t2", batch_id, "", 10, uow)
    with pytest.raises(DomainError) as unknown:
        await batch_coupons("t1", "cb_unknown", "", 10, uow)

    assert other_tenant.value.code == unknown.value.code == "batch_not_found"
    assert len(await batch_coupons("t1", batch_id, "", 10, uow)) == 3
