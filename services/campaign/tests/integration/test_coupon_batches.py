"""Keyed bulk generation over real MongoDB: one batch per request id, however often and
however concurrently asked, completed rather than repeated when found half done."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from uuid import uuid4

import pytest

from libs.clock import FakeClock
from libs.mongo import MongoClient, make_client
from services.campaign.coupons.domain.batches import KeyedBatch
from services.campaign.coupons.domain.codes import new_codes
from services.campaign.coupons.domain.coupons import CouponKind, issued_coupon
from services.campaign.coupons.handlers.admin import generate_coupons
from services.campaign.tests.integration.coupon_support import (
    NOW,
    coupon_uow,
    stored_template,
    ten_off,
)

clock = FakeClock(NOW)


@pytest.fixture
async def client(mongo_url: str) -> AsyncIterator[MongoClient]:
    mongo: MongoClient = make_client(mongo_url, app_name="coupon-batch-tests")
    yield mongo
    await mongo.close()


def request_id() -> str:
    return f"op_{uuid4().hex[:10]}:0"


async def test_the_same_request_id_answers_the_batch_generated_first(client: MongoClient) -> None:
    db, uow = await coupon_uow(client)
    template = await stored_template(uow, ten_off("t1"))
    key = request_id()

    first = await generate_coupons("t1", template.template_id, 40, uow, clock, request_id=key)
    again = await generate_coupons("t1", template.template_id, 40, uow, clock, request_id=key)
    other_count = await generate_coupons("t1", template.template_id, 7, uow, clock, request_id=key)

    assert again == other_count == first
    assert first[1] == 40
    assert await db["coupons"].count_documents({"template_id": template.template_id}) == 40


async def test_two_concurrent_calls_with_one_request_id_generate_one_batch(
    client: MongoClient,
) -> None:
    db, uow = await coupon_uow(client)
    template = await stored_template(uow, ten_off("t1"))
    key = request_id()

    answers = await asyncio.gather(
        *(
            generate_coupons("t1", template.template_id, 1500, uow, clock, request_id=key)
            for _ in range(3)
        )
    )

    assert len(set(answers)) == 1
    batch_id, count = answers[0]
    assert count == 1500
    stored = {"template_id": template.template_id}
    assert await db["coupons"].count_documents(stored) == 1500
    assert len(await db["coupons"].distinct("code", {"batch_id": batch_id})) == 1500
    assert len(await db["coupons"].distinct("batch_slot", {"batch_id": batch_id})) == 1500


async def test_a_batch_found_half_generated_is_completed_not_repeated(client: MongoClient) -> None:
    db, uow = await coupon_uow(client)
    template = await stored_template(uow, ten_off("t1"))
    key = request_id()
    # What a call that died mid-way leaves: the claim and the first 300 places filled.
    claim = KeyedBatch("t1", template.template_id, key, f"cb_{uuid4().hex[:10]}", 1000, NOW)
    await uow.read(lambda repos: repos.coupons.claim_batch(claim))
    done = [
        issued_coupon(
            template,
            coupon_id=f"cpn_{uuid4().hex[:10]}",
            code=code,
            kind=CouponKind.BEARER,
            member_id="",
            now=NOW,
            batch_id=claim.batch_id,
            batch_slot=place,
        )
        for place, code in enumerate(new_codes(300))
    ]
    await uow.read(lambda repos: repos.coupons.add_many(done))

    answer = await generate_coupons("t1", template.template_id, 1000, uow, clock, request_id=key)

    assert answer == (claim.batch_id, 1000)
    assert await db["coupons"].count_documents({"batch_id": claim.batch_id}) == 1000
    assert len(await db["coupons"].distinct("batch_slot", {"batch_id": claim.batch_id})) == 1000
    assert await db["coupons"].count_documents({"code": {"$in": [c.code for c in done]}}) == 300


async def test_one_request_id_under_two_templates_or_tenants_is_two_batches(
    client: MongoClient,
) -> None:
    _, uow = await coupon_uow(client)
    first = await stored_template(uow, ten_off("t1"))
    second = await stored_template(uow, ten_off("t1"))
    other_tenant = await stored_template(uow, ten_off("t2"))
    key = request_id()

    batches = {
        await generate_coupons("t1", first.template_id, 3, uow, clock, request_id=key),
        await generate_coupons("t1", second.template_id, 3, uow, clock, request_id=key),
        await generate_coupons("t2", other_tenant.template_id, 3, uow, clock, request_id=key),
    }

    assert len({batch_id for batch_id, _ in batches}) == 3
