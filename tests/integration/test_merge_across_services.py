"""A merge through both services and their real consumers, and tiers that follow purchases."""

from __future__ import annotations

import asyncio
import time

import nats
from nats.js import JetStreamContext

from libs.nats import STREAM_NAME
from libs.tests.integration.support import messages_on
from loyalty.member.v1 import events_pb2 as member_events
from loyalty.member.v1 import member_pb2 as mpb
from loyalty.points.v1 import merge_events_pb2
from loyalty.points.v1 import points_pb2 as ppb
from services.points.adapters.reconciliation import drifting_wallets
from tests.integration.services_pair import Pair, buy, enrol, new_phone, tier_of
from tests.support.polling import eventually

OPERATOR = mpb.Actor(kind="operator", channel="operator", key_id="key_op")


async def balance(pair: Pair, member_id: str) -> ppb.Balance:
    answer = await pair.points.GetBalance(
        ppb.GetBalanceRequest(tenant_id=pair.tenant, member_id=member_id)
    )
    return answer.balance


async def ledger_sum(pair: Pair, member_id: str) -> tuple[int, list[str]]:
    page = await pair.points.GetLedger(
        ppb.GetLedgerRequest(tenant_id=pair.tenant, member_id=member_id, limit=200)
    )
    return sum(e.points for e in page.entries), [e.type for e in page.entries]


async def merge(pair: Pair, survivor_id: str, merged_id: str) -> mpb.MergeMembersResponse:
    return await pair.member.MergeMembers(
        mpb.MergeMembersRequest(
            tenant_id=pair.tenant, survivor_id=survivor_id, merged_id=merged_id, actor=OPERATOR
        )
    )


async def points_merged(js: JetStreamContext, pair: Pair) -> list[merge_events_pb2.PointsMerged]:
    found = await messages_on(js, f"loyalty.{pair.tenant}.points.merged")
    return [merge_events_pb2.PointsMerged.FromString(m.data or b"") for m in found]


async def test_a_merge_moves_points_holds_and_orders_and_old_identities_find_the_survivor(
    pair: Pair,
) -> None:
    old_phone = new_phone()
    survivor_id, merged_id = await enrol(pair, new_phone()), await enrol(pair, old_phone)
    await buy(pair, survivor_id, "398.00")
    old_order = await buy(pair, merged_id, "1000.00")
    await pair.points.HoldPoints(
        ppb.HoldPointsRequest(tenant_id=pair.tenant, member_id=merged_id, points=100, channel="app")
    )

    answer = await merge(pair, survivor_id, merged_id)

    assert answer.merged
    assert answer.survivor.member_id == survivor_id

    async def points_moved() -> bool:
        return (await balance(pair, merged_id)).available == 0

    await eventually(points_moved)
    found = await pair.member.LookupMember(
        mpb.LookupMemberRequest(
            tenant_id=pair.tenant, identity=mpb.Identity(type="phone", value=old_phone)
        )
    )
    assert found.member.member_id == survivor_id
    survivor, gone = await balance(pair, survivor_id), await balance(pair, merged_id)
    assert (survivor.available, survivor.held) == (1298, 100)
    assert (gone.available, gone.held) == (0, 0)
    assert (await ledger_sum(pair, survivor_id))[0] == 1398
    assert await ledger_sum(pair, merged_id) == (0, ["merge_out", "earn"])

    async def survivor_is(tier: str) -> bool:
        return await tier_of(pair, survivor_id) == tier

    # Both members' purchases count for the survivor: 1,398 points reach silver.
    await eventually(lambda: survivor_is("silver"))
    returned = await pair.points.ReturnOrder(
        ppb.ReturnOrderRequest(
            tenant_id=pair.tenant, order_id=old_order, return_id=f"R-{old_order}", amount="500"
        )
    )
    assert (returned.points_reversed, returned.balance.available) == (500, 798)
    assert [drift async for drift in drifting_wallets(pair.points_db)] == []
    # Half the merged member's order came back: 898 points, and the tier it reached goes.
    await eventually(lambda: survivor_is("member"))


async def test_a_redelivered_member_merged_event_moves_nothing_more(
    pair: Pair, nats_url: str
) -> None:
    survivor_id, merged_id = await enrol(pair, new_phone()), await enrol(pair, new_phone())
    await buy(pair, merged_id, "250.00")
    await merge(pair, survivor_id, merged_id)
    again = await merge(pair, survivor_id, merged_id)
    client = await nats.connect(nats_url)
    try:
        js = client.jetstream()

        async def merged_once() -> bool:
            return len(await points_merged(js, pair)) == 1

        await eventually(merged_once)
        [original] = await messages_on(js, f"loyalty.{pair.tenant}.member.merged")
        redelivery = {**(original.headers or {}), "Nats-Msg-Id": "redelivered-" + str(time.time())}
        assert original.subject is not None
        assert original.data is not None
        await js.publish(original.subject, original.data, headers=redelivery)

        async def consumed() -> bool:
            info = await js.consumer_info(STREAM_NAME, "points-merges")
            return bool(info.num_pending == 0 and info.num_ack_pending == 0)

        await eventually(consumed)
        await asyncio.sleep(0.3)
        assert not again.merged
        assert len(await messages_on(js, f"loyalty.{pair.tenant}.member.merged")) == 2
        assert [e.points for e in await points_merged(js, pair)] == [250]
    finally:
        await client.close()
    assert (await balance(pair, survivor_id)).available == 250
    assert await ledger_sum(pair, survivor_id) == (250, ["merge_in"])


async def test_a_large_purchase_makes_the_member_gold_within_a_second(
    pair: Pair, nats_url: str
) -> None:
    member_id = await enrol(pair, new_phone())

    started = time.monotonic()
    await buy(pair, member_id, "5200.00")
    while await tier_of(pair, member_id) != "gold":
        assert time.monotonic() - started < 1.0, "not gold within a second"
        await asyncio.sleep(0.02)

    client = await nats.connect(nats_url)
    try:
        found = await messages_on(client.jetstream(), f"loyalty.{pair.tenant}.member.tier_changed")
    finally:
        await client.close()
    changes = [member_events.MemberTierChanged.FromString(m.data or b"") for m in found]
    assert [(c.from_tier, c.to_tier, c.reason) for c in changes if c.member_id == member_id] == [
        ("member", "gold", "upgrade")
    ]
