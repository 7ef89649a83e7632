"""Issuing coupons to members over real MongoDB: once per issue key, with its event."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from libs.mongo import MongoClient, make_client
from services.campaign.coupons.domain.issues import CouponIssue
from services.campaign.coupons.handlers.issue import Coupons
from services.campaign.coupons.handlers.merge import MoveCoupons, move_coupons
from services.campaign.tests.integration.coupon_support import (
    NOW,
    coupon_uow,
    stored_template,
    ten_off,
)


@pytest.fixture
async def client(mongo_url: str) -> AsyncIterator[MongoClient]:
    mongo: MongoClient = make_client(mongo_url, app_name="coupon-tests")
    yield mongo
    await mongo.close()


async def test_the_same_issue_key_issues_one_coupon_even_at_once(client: MongoClient) -> None:
    db, uow = await coupon_uow(client)
    template = await stored_template(uow, ten_off("t1"))
    coupons = Coupons(uow, lambda: NOW)
    issue = CouponIssue("t1", "m1", template.template_id, "cmp1:1:ev1", "cmp1", 1)

    answers = await asyncio.gather(*(coupons.issue(issue) for _ in range(4)))

    assert len({a.coupon_id for a in answers}) == 1
    assert sum(not a.replayed for a in answers) == 1
    assert await db["coupons"].count_documents({"tenant_id": "t1"}) == 1
    events = await db["outbox"].find({"event_type": "coupon.issued"}).to_list()
    assert len(events) == 1
    assert events[0]["subject"] == "loyalty.t1.coupon.issued"


async def test_an_issued_coupon_is_valid_for_the_templates_days(client: MongoClient) -> None:
    _, uow = await coupon_uow(client)
    template = await stored_template(uow, ten_off("t1"))
    issued = await Coupons(uow, lambda: NOW).issue(
        CouponIssue("t1", "m1", template.template_id, "op:1")
    )

    coupon = await uow.read(lambda repos: repos.coupons.by_code("t1", issued.code))

    assert coupon is not None
    assert coupon.member_id == "m1"
    assert coupon.valid_until is not None
    assert (coupon.valid_until - NOW).days == 30


async def test_another_tenants_template_cannot_be_issued(client: MongoClient) -> None:
    _, uow = await coupon_uow(client)
    template = await stored_template(uow, ten_off("t1"))

    with pytest.raises(Exception, match="not found") as caught:
        await Coupons(uow, lambda: NOW).issue(CouponIssue("t2", "m1", template.template_id, "k"))
    assert getattr(caught.value, "code", "") == "coupon_template_not_found"


async def test_a_merge_moves_the_coupons_to_the_survivor_once(client: MongoClient) -> None:
    _, uow = await coupon_uow(client)
    template = await stored_template(uow, ten_off("t1"))
    coupons = Coupons(uow, lambda: NOW)
    for key in ("a", "b"):
        await coupons.issue(CouponIssue("t1", "merged", template.template_id, key))
    move = MoveCoupons("ev-merge-1", "t1", "survivor", "merged")

    first = await move_coupons(move, uow)
    await coupons.issue(CouponIssue("t1", "merged", template.template_id, "c"))
    again = await move_coupons(move, uow)

    assert (first, again) == (2, None)
    survivor = await uow.read(lambda repos: repos.coupons.of_member("t1", "survivor", 10))
    assert len(survivor) == 2
