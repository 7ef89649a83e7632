"""The campaign service follows `points.earned` through a durable consumer, to count each
credited order's bonus as granted and to pay a bonus the order's deadline missed."""

from __future__ import annotations

from nats.aio.msg import Msg

from libs.inbox import EventConsumer, Subscription
from libs.logging import get_logger
from libs.nats import NatsConnector
from libs.timestamps import aware
from loyalty.points.v1 import events_pb2
from services.campaign.campaigns.domain.leases import is_lease
from services.campaign.campaigns.domain.reservations import LeaseGrant
from services.campaign.campaigns.handlers.evaluation import EvaluateOrder
from services.campaign.campaigns.handlers.purchase_bonus import (
    CONSUMER,
    PurchaseBonusSettler,
    SettlePurchase,
)

SUBSCRIPTION = Subscription(durable=CONSUMER, filter_subject="loyalty.*.points.earned")
CAMPAIGN_SOURCE = "campaign"

log = get_logger(__name__)


def settle_command(data: bytes) -> SettlePurchase:
    event = events_pb2.PointsEarned.FromString(data)
    enrolled = event.member_enrolled_at if event.HasField("member_enrolled_at") else None
    order = EvaluateOrder(
        tenant_id=event.meta.tenant_id,
        member_id=event.member_id,
        tier_code=event.tier_code,
        channel=event.channel,
        store_id=event.store_id,
        occurred_at=aware(event.order_occurred_at),
        total=event.total,
        lines=[
            (line.sku, line.category, line.quantity, line.amount, line.base_points)
            for line in event.lines
        ],
        order_id=event.order_id,
        enrolled_at=aware(enrolled) if enrolled is not None else None,
        time_zone=event.time_zone,
        birth_month=event.birth_month,
        first_purchase=event.first_purchase,
    )
    leased = tuple(
        LeaseGrant(h.campaign_id, h.reservation_id, h.points)
        for h in event.campaign_holds
        if is_lease(h.reservation_id)
    )
    by_lease = {grant.campaign_id for grant in leased}
    return SettlePurchase(
        event_id=event.meta.event_id,
        order=order,
        credited_campaigns=(
            *(
                line.campaign_id
                for line in event.breakdown
                if line.source == CAMPAIGN_SOURCE
                and line.campaign_id
                and line.campaign_id not in by_lease
            ),
            *event.coupon_campaign_ids,
        ),
        bonus_pending=event.bonus_pending,
        lease_grants=leased,
    )


class PointsEarnedHandler:
    def __init__(self, settle: PurchaseBonusSettler) -> None:
        self._settle = settle

    async def __call__(self, msg: Msg) -> None:
        command = settle_command(msg.data)
        if not (command.event_id and command.order.order_id):
            # Redelivering a message that can never apply would only block the others.
            log.error("points_earned_unusable", subject=msg.subject)
            return
        paid = await self._settle(command)
        if paid:
            log.info("pending_bonus_granted", order_id=command.order.order_id, points=paid)


def purchase_bonus_consumer(
    connector: NatsConnector, settle: PurchaseBonusSettler
) -> EventConsumer:
    return EventConsumer(connector, SUBSCRIPTION, PointsEarnedHandler(settle))
