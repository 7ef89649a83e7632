"""Purchase bonuses over real servers: a bonus the campaign service missed at the till is
credited from points.earned exactly once, a hold the sweep released is counted again when
its order's event arrives, and the evaluator hears of birthdays and first purchases."""

from __future__ import annotations

from datetime import timedelta

from loyalty.campaign.v1 import campaign_admin_pb2 as apb
from loyalty.common.v1.common_pb2 import EventMeta
from loyalty.points.v1 import events_pb2
from loyalty.points.v1 import points_pb2 as ppb
from services.campaign.campaigns.adapters.lease_store import MongoLeases
from services.campaign.campaigns.adapters.reservations import MongoReservations
from tests.integration.bonus_support import (
    ORDERED_AT,
    Arena,
    active_campaign,
    an_evaluation,
    an_order,
    bonus_entries,
    handled,
    last_earned,
    publish,
    results_of,
    settle_from_now,
)
from tests.support.polling import eventually


async def test_a_bonus_missed_at_the_till_is_credited_once_when_the_campaign_service_is_back(
    mongo_url: str, nats_url: str, redis_url: str
) -> None:
    urls = {"mongo": mongo_url, "nats": nats_url, "redis": redis_url}
    arena = Arena(urls)
    await settle_from_now(urls)
    async with arena.points(timeout_ms=500) as points:
        async with arena.campaign() as campaigns:
            campaign_id, _ = await active_campaign(campaigns, arena.tenant, 100)
        order = an_order(arena.tenant, "m1")

        answer = await points.AccrueOrder(order)  # the campaign service is down

        assert (answer.bonus_pending, answer.points_earned) == (True, 200)
        async with arena.campaign() as campaigns:

            async def credited() -> bool:
                return bool(await bonus_entries(points, arena.tenant, "m1"))

            await eventually(credited, within=20)
            [bonus] = await bonus_entries(points, arena.tenant, "m1")
            assert (bonus.points, bonus.campaign_id, bonus.order_id) == (
                100,
                campaign_id,
                order.order_id,
            )
            again = await publish(
                urls, f"loyalty.{arena.tenant}.points.earned", await last_earned(urls, arena.tenant)
            )
            await handled(urls, again)
            assert len(await bonus_entries(points, arena.tenant, "m1")) == 1
            results = await results_of(campaigns, arena.tenant, campaign_id)
            assert (results.points_granted, results.budget_left, results.points_reserved) == (
                100,
                900,
                0,
            )
        balance = await points.GetBalance(
            ppb.GetBalanceRequest(tenant_id=arena.tenant, member_id="m1")
        )
        assert (balance.balance.available, balance.balance.lifetime_earned) == (300, 300)
        drift = await points.ReconcilePoints(ppb.ReconcilePointsRequest(tenant_id=arena.tenant))
        assert list(drift.drifting) == []


def earned_event(
    order: ppb.AccrueOrderRequest, campaign_id: str, version: int, reservation_id: str = ""
) -> bytes:
    """points.earned for `order` credited with the campaign's 100 points, as the points
    service publishes it after its commit (naming the budget the bonus was held from)."""
    event = events_pb2.PointsEarned(
        meta=EventMeta(event_id=f"ev-{order.order_id}", tenant_id=order.tenant_id),
        member_id=order.member.member_id,
        order_id=order.order_id,
        channel=order.channel,
        store_id=order.store_id,
        order_occurred_at=order.occurred_at,
        currency=order.currency,
        total=order.total,
        points=300,
        breakdown=[
            ppb.EarningLine(source="base", points=200, description="1 point per CNY 1"),
            ppb.EarningLine(
                source="campaign",
                points=100,
                description="100 bonus points",
                campaign_id=campaign_id,
                campaign_version=version,
            ),
        ],
        campaign_holds=[
            events_pb2.CampaignHold(
                campaign_id=campaign_id, reservation_id=reservation_id, points=100
            )
        ]
        if reservation_id
        else [],
    )
    return event.SerializeToString()


async def test_a_hold_the_sweep_released_after_a_crash_is_counted_when_its_order_is_credited(
    mongo_url: str, nats_url: str, redis_url: str
) -> None:
    urls = {"mongo": mongo_url, "nats": nats_url, "redis": redis_url}
    arena = Arena(urls)
    await settle_from_now(urls)
    async with arena.campaign() as campaigns, arena.campaign_database() as db:
        # A per-member limit: the grant holds per order (no lease).
        campaign_id, version = await active_campaign(campaigns, arena.tenant, 100, per_member=3)
        order = an_order(arena.tenant, "m1")
        evaluated = await campaigns.EvaluateOrder(an_evaluation(order))
        assert [e.points for e in evaluated.effects] == [100]
        # The points service committed the order, then crashed before SettleGrants; the
        # sweep, once the hold's time is up, gives its budget back.
        assert await MongoReservations(db).sweep(ORDERED_AT + timedelta(hours=1)) == 1
        assert (await results_of(campaigns, arena.tenant, campaign_id)).budget_left == 1000

        subject = f"loyalty.{arena.tenant}.points.earned"
        await handled(urls, await publish(urls, subject, earned_event(order, campaign_id, version)))

        results = await results_of(campaigns, arena.tenant, campaign_id)
        assert (results.budget_left, results.points_granted, results.grants) == (900, 100, 1)
        await handled(urls, await publish(urls, subject, earned_event(order, campaign_id, version)))
        assert (await results_of(campaigns, arena.tenant, campaign_id)).budget_left == 900


async def test_a_bonus_from_a_budget_lease_is_counted_once_from_its_order_event_and_none_is_lost(
    mongo_url: str, nats_url: str, redis_url: str
) -> None:
    urls = {"mongo": mongo_url, "nats": nats_url, "redis": redis_url}
    arena = Arena(urls)
    await settle_from_now(urls)
    async with arena.campaign() as campaigns, arena.campaign_database() as db:
        campaign_id, version = await active_campaign(campaigns, arena.tenant, 100)
        credited, cancelled = an_order(arena.tenant, "m1"), an_order(arena.tenant, "m2")
        [effect] = (await campaigns.EvaluateOrder(an_evaluation(credited))).effects
        [lost] = (await campaigns.EvaluateOrder(an_evaluation(cancelled))).effects
        assert effect.reservation_id.startswith("lse_")
        assert lost.reservation_id == effect.reservation_id
        # The lease holds the budget: nothing per order, and granted + reserved + left
        # is the budget.
        results = await results_of(campaigns, arena.tenant, campaign_id)
        assert results.points_granted + results.points_reserved + results.budget_left == 1000
        assert await db["campaign_reservations"].count_documents({"campaign_id": campaign_id}) == 0

        subject = f"loyalty.{arena.tenant}.points.earned"
        event = earned_event(credited, campaign_id, version, effect.reservation_id)
        await handled(urls, await publish(urls, subject, event))
        await handled(urls, await publish(urls, subject, event))  # redelivered: nothing more

        results = await results_of(campaigns, arena.tenant, campaign_id)
        assert (results.points_granted, results.grants, results.members_reached) == (100, 1, 1)
        # The cancelled order's allotment comes back when the lease closes.
        await MongoLeases(db).close(effect.reservation_id)
        results = await results_of(campaigns, arena.tenant, campaign_id)
        assert (results.points_granted, results.points_reserved, results.budget_left) == (
            100,
            0,
            900,
        )


async def test_first_purchase_and_birthday_month_campaigns_apply_to_the_orders_they_name(
    mongo_url: str, nats_url: str, redis_url: str
) -> None:
    urls = {"mongo": mongo_url, "nats": nats_url, "redis": redis_url}
    arena = Arena(urls)
    month = ORDERED_AT.month
    other_month = month % 12 + 1
    async with arena.campaign() as campaigns, arena.points(timeout_ms=5000) as points:
        first, _ = await active_campaign(
            campaigns,
            arena.tenant,
            100,
            conditions=apb.CampaignConditions(first_purchase_only=True),
        )
        birthday, _ = await active_campaign(
            campaigns, arena.tenant, 50, conditions=apb.CampaignConditions(in_birthday_month=True)
        )

        async def bonuses(member_id: str, birth_month: int) -> dict[str, int]:
            answer = await points.AccrueOrder(
                an_order(arena.tenant, member_id, birth_month=birth_month)
            )
            assert not answer.bonus_pending
            return {b.campaign_id: b.points for b in answer.breakdown if b.source == "campaign"}

        assert await bonuses("m1", month) == {first: 100, birthday: 50}
        assert await bonuses("m1", month) == {birthday: 50}
        assert await bonuses("m2", other_month) == {first: 100}
