"""A purchase campaign's coupon, issued once when the order's hold is committed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from libs.mongo import MongoClient, make_client
from services.campaign.campaigns.adapters.campaign_store import MongoCampaignStore
from services.campaign.campaigns.adapters.committed_holds import MongoCommittedHolds
from services.campaign.campaigns.adapters.reservations import MongoReservations
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.definitions import Definition
from services.campaign.campaigns.domain.lifecycle import draft, rules_of
from services.campaign.campaigns.domain.rules import Conditions, Effect, EffectType
from services.campaign.campaigns.handlers.order_coupons import OrderCoupons
from services.campaign.coupons.handlers.issue import Coupons
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


async def test_a_committed_order_hold_issues_its_coupon_once(client: MongoClient) -> None:
    db, uow = await coupon_uow(client)
    template = await stored_template(uow, ten_off("t1"))
    effect = Effect(EffectType.COUPON, template_id=template.template_id)
    record = draft(
        "cmp1",
        "t1",
        Definition("A coupon", Trigger.PURCHASE, None, None, Conditions(), effect),
        NOW,
    )
    await MongoCampaignStore(db).add(record)
    reservations = MongoReservations(db)
    hold = await reservations.reserve("t1", "o1", "m1", rules_of(record), points=0, now=NOW)
    order_coupons = OrderCoupons(MongoCommittedHolds(db), Coupons(uow, lambda: NOW))

    assert await order_coupons.issue_for("t1", [hold.hold_id]) == 0  # not committed yet
    await reservations.settle("t1", hold.hold_id, commit=True)
    issued = await order_coupons.issue_for("t1", [hold.hold_id])
    again = await order_coupons.sweep()

    coupon = await uow.read(lambda repos: repos.coupons.by_issue_key("t1", "cmp1:o1"))
    assert (issued, again) == (1, 0)
    assert coupon is not None
    assert (coupon.member_id, coupon.campaign_id) == ("m1", "cmp1")


async def test_the_sweep_issues_a_coupon_the_settlement_left_behind(client: MongoClient) -> None:
    db, uow = await coupon_uow(client)
    template = await stored_template(uow, ten_off("t1"))
    effect = Effect(EffectType.COUPON, template_id=template.template_id)
    record = draft(
        "cmp2",
        "t1",
        Definition("A coupon", Trigger.PURCHASE, None, None, Conditions(), effect),
        NOW,
    )
    await MongoCampaignStore(db).add(record)
    reservations = MongoReservations(db)
    hold = await reservations.reserve("t1", "o2", "m2", rules_of(record), points=0, now=NOW)
    await reservations.settle("t1", hold.hold_id, commit=True)

    swept = await OrderCoupons(MongoCommittedHolds(db), Coupons(uow, lambda: NOW)).sweep()

    assert swept == 1
    assert await db["coupons"].count_documents({"member_id": "m2"}) == 1
