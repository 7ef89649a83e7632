"""What the campaign service does with an order's `points.earned` besides its history:
count each credited bonus as granted (holds and leases) and pay a bonus the order's
deadline missed. The one consumer of the points events (history.py) does both, in the
transaction that claims the event."""

from __future__ import annotations

from collections.abc import Sequence

from libs.logging import get_logger
from libs.mongo import Session
from libs.timestamps import aware
from loyalty.points.v1 import events_pb2
from services.campaign.campaigns.adapters.settled_purchases import (
    MongoSettledPurchases,
    SettledOrder,
)
from services.campaign.campaigns.domain.leases import is_lease
from services.campaign.campaigns.domain.reservations import LeaseGrant
from services.campaign.campaigns.handlers.evaluation import EvaluateOrder
from services.campaign.campaigns.handlers.purchase_bonus import (
    Confirmation,
    PurchaseBonusSettler,
    SettlePurchase,
)

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


class PurchaseSettling:
    """The bonus side of each `points.earned`, for the one consumer of the points events
    (history.py): paid before the batch's transaction where pending, confirmed in it."""

    def __init__(self, settle: PurchaseBonusSettler, settled: MongoSettledPurchases) -> None:
        self._settle = settle
        self._settled = settled

    async def prepare(self, subject: str, data: bytes) -> Confirmation | None:
        if not subject.endswith(".points.earned"):
            return None
        command = settle_command(data)
        if not (command.event_id and command.order.order_id):
            return None  # history logs and skips it
        confirmation = await self._settle.prepare(command)
        if confirmation is not None and confirmation.paid:
            log.info(
                "pending_bonus_granted",
                order_id=command.order.order_id,
                points=confirmation.paid,
            )
        return confirmation

    async def apply(self, confirmations: Sequence[Confirmation], session: Session) -> None:
        """Confirm a batch's orders in its transaction. Each order's purchase record added
        its lease campaigns to the member's reached ones already."""
        await self._settled.confirm_batch(
            session,
            [SettledOrder(c.tenant_id, c.holds, c.lease_grants, c.day) for c in confirmations],
        )

    def applied(self, confirmation: Confirmation) -> None:
        self._settle.confirmed(confirmation)
