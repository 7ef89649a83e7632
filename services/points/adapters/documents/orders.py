"""Orders seen, returns and redemptions as MongoDB documents, and back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from libs.mongo import Doc
from services.points.adapters.documents.conversion import conversion_from_doc, conversion_to_doc
from services.points.adapters.documents.ledger import balance_from_doc, balance_to_doc, member_key
from services.points.adapters.documents.wallets import lot_to_doc, take_from_doc
from services.points.domain.accrual import Accrual, EarningLine, Source
from services.points.domain.actors import UNKNOWN, Actor
from services.points.domain.campaign_results import (
    AppliedCampaign,
    CampaignResults,
    EffectKind,
    SkippedCampaign,
)
from services.points.domain.pricing import PricedLine
from services.points.domain.records import OrderRecord
from services.points.domain.redemptions import Redemption, RedemptionStatus
from services.points.domain.returns import ReturnRecord


def order_to_doc(order: OrderRecord) -> Doc:
    answer = order.answer
    return {
        "_id": member_key(order.tenant_id, order.order_id),
        "tenant_id": order.tenant_id,
        "order_id": order.order_id,
        "member_id": order.member_id,
        "fingerprint": order.fingerprint,
        "currency": order.currency,
        "total": str(order.total),
        "lines": [
            [line.sku, line.category, line.quantity, str(line.amount), line.base_points]
            for line in order.lines
        ],
        "lot_ids": list(order.lot_ids),
        "answer": {
            "points_earned": answer.points_earned,
            "breakdown": [_line_to_doc(line) for line in answer.breakdown],
            "bonus_pending": answer.bonus_pending,
            "balance": balance_to_doc(answer.balance),
        },
        "created_at": order.created_at,
        "bonus_pending": order.bonus_pending,
        "reversed_points": order.reversed_points,
        # SKUs may hold characters MongoDB field names may not, so pairs, not a map.
        "returned_quantities": sorted(order.returned_quantities.items()),
        "returned_amount": str(order.returned_amount),
        "bonuses": [_line_to_doc(line) for line in order.bonuses],
        "version": order.version,
        "channel": order.channel,
        "store_id": order.store_id,
        "occurred_at": order.occurred_at,
        "campaigns": _campaigns_to_doc(order.campaigns),
        "conversion": conversion_to_doc(order.conversion),
    }


def _campaigns_to_doc(results: CampaignResults) -> Doc:
    return {
        "coupons": [[c.campaign_id, c.campaign_version, c.description] for c in results.coupons],
        "skipped": [[s.campaign_id, s.campaign_version, s.reason] for s in results.skipped],
    }


def _campaigns_from_doc(doc: Doc | None) -> CampaignResults:
    """Orders recorded before evaluations were kept have none."""
    if not doc:
        return CampaignResults()
    return CampaignResults(
        coupons=tuple(
            AppliedCampaign(campaign_id, version, 0, EffectKind.COUPON, description)
            for campaign_id, version, description in doc["coupons"]
        ),
        skipped=tuple(
            SkippedCampaign(campaign_id, version, reason)
            for campaign_id, version, reason in doc["skipped"]
        ),
    )


def _line_to_doc(line: EarningLine) -> list[object]:
    """A row; a line with a reason code adds the code and its parameters at the end."""
    row: list[object] = [
        line.source.value,
        line.points,
        line.description,
        line.campaign_id,
        line.campaign_version,
    ]
    if line.reason_code:
        row += [line.reason_code, dict(line.reason_params)]
    return row


def _line_from_doc(row: list[Any]) -> EarningLine:
    source, points, description, campaign_id, version = row[:5]
    code, params = (row[5], row[6]) if len(row) > 5 else ("", {})
    return EarningLine(
        Source(source),
        points,
        description,
        campaign_id,
        version,
        code,
        tuple((str(k), str(v)) for k, v in params.items()),
    )


def order_from_doc(doc: Doc) -> OrderRecord:
    answer = doc["answer"]
    return OrderRecord(
        tenant_id=doc["tenant_id"],
        order_id=doc["order_id"],
        member_id=doc["member_id"],
        fingerprint=doc["fingerprint"],
        currency=doc["currency"],
        total=Decimal(doc["total"]),
        lines=tuple(
            PricedLine(sku, category, quantity, Decimal(amount), base)
            for sku, category, quantity, amount, base in doc["lines"]
        ),
        lot_ids=tuple(doc["lot_ids"]),
        answer=Accrual(
            order_id=doc["order_id"],
            member_id=doc["member_id"],
            points_earned=answer["points_earned"],
            breakdown=tuple(_line_from_doc(row) for row in answer["breakdown"]),
            bonus_pending=answer["bonus_pending"],
            balance=balance_from_doc(answer["balance"]),
        ),
        created_at=doc["created_at"],
        bonus_pending=doc["bonus_pending"],
        reversed_points=doc["reversed_points"],
        returned_quantities=dict(doc["returned_quantities"]),
        returned_amount=Decimal(doc["returned_amount"]),
        bonuses=tuple(_line_from_doc(row) for row in doc.get("bonuses", [])),
        version=doc["version"],
        channel=doc.get("channel", ""),
        store_id=doc.get("store_id", ""),
        occurred_at=doc.get("occurred_at"),
        campaigns=_campaigns_from_doc(doc.get("campaigns")),
        conversion=conversion_from_doc(doc.get("conversion")),
    )


def return_to_doc(record: ReturnRecord) -> Doc:
    return {
        "_id": member_key(record.tenant_id, record.return_id),
        "tenant_id": record.tenant_id,
        "return_id": record.return_id,
        "order_id": record.order_id,
        "member_id": record.member_id,
        "fingerprint": record.fingerprint,
        "points_reversed": record.points_reversed,
        "balance": balance_to_doc(record.balance),
        "created_at": record.created_at,
        "shortfall": record.shortfall,
        "actor": actor_to_doc(record.actor),
    }


def return_from_doc(doc: Doc) -> ReturnRecord:
    return ReturnRecord(
        tenant_id=doc["tenant_id"],
        return_id=doc["return_id"],
        order_id=doc["order_id"],
        member_id=doc["member_id"],
        fingerprint=doc["fingerprint"],
        points_reversed=doc["points_reversed"],
        balance=balance_from_doc(doc["balance"]),
        created_at=doc["created_at"],
        shortfall=doc.get("shortfall", 0),
        actor=actor_from_doc(doc.get("actor")),
    )


def redemption_to_doc(redemption: Redemption) -> Doc:
    return {
        "_id": member_key(redemption.tenant_id, redemption.redemption_id),
        "tenant_id": redemption.tenant_id,
        "redemption_id": redemption.redemption_id,
        "member_id": redemption.member_id,
        "points": redemption.points,
        "order_id": redemption.order_id,
        "channel": redemption.channel,
        "store_id": redemption.store_id,
        "status": redemption.status.value,
        "created_at": redemption.created_at,
        "expires_at": redemption.expires_at,
        "takes": [lot_to_doc(take) for take in redemption.takes],
        "debt_paid": [lot_to_doc(take) for take in redemption.debt_paid],
        "version": redemption.version,
        "held_by": actor_to_doc(redemption.held_by),
        "cancelled_by": actor_to_doc(redemption.cancelled_by),
    }


def redemption_from_doc(doc: Doc) -> Redemption:
    return Redemption(
        redemption_id=doc["redemption_id"],
        tenant_id=doc["tenant_id"],
        member_id=doc["member_id"],
        points=doc["points"],
        order_id=doc["order_id"],
        channel=doc["channel"],
        store_id=doc["store_id"],
        status=RedemptionStatus(doc["status"]),
        created_at=doc["created_at"],
        expires_at=doc["expires_at"],
        takes=tuple(take_from_doc(t) for t in doc["takes"]),
        version=doc["version"],
        debt_paid=tuple(take_from_doc(t) for t in doc.get("debt_paid", [])),
        held_by=actor_from_doc(doc.get("held_by")),
        cancelled_by=actor_from_doc(doc.get("cancelled_by")),
    )


def actor_to_doc(actor: Actor) -> Doc:
    return {"channel": actor.channel, "store_id": actor.store_id, "key_id": actor.key_id}


def actor_from_doc(doc: Doc | None) -> Actor:
    """Records kept before actors were have none: unknown."""
    if not doc:
        return UNKNOWN
    return Actor(doc.get("channel", ""), doc.get("store_id", ""), doc.get("key_id", ""))
