"""What an order earns (base, tier, campaigns) and how it is credited to the wallet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from libs import reasons
from libs.reasons import (
    CAMPAIGN_BONUS,
    EARNING_RATE,
    TIER_BONUS,
    campaign_bonus,
    earning_rate,
    tier_bonus,
)
from services.points.domain.balances import Balance
from services.points.domain.earning import EarningRule
from services.points.domain.ledger import Entry, EntryType, Part, Posting, ReasonParams
from services.points.domain.lots import Lot, PendingLot
from services.points.domain.orders import MemberContext, Order
from services.points.domain.pricing import PricedOrder
from services.points.domain.wallet import Wallet

TIMES = "\N{MULTIPLICATION SIGN}"


class Source(StrEnum):
    BASE = "base"
    TIER = "tier"
    CAMPAIGN = "campaign"


@dataclass(frozen=True)
class CampaignBonus:
    """A points effect of a campaign, as the campaign service evaluated it."""

    campaign_id: str
    campaign_version: int
    points: int
    description: str
    # The campaign's hold on its budget for this grant, settled once the order commits.
    reservation_id: str = ""
    # The description (the campaign's name) in other languages, (locale, text).
    names: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EarningLine:
    source: Source
    points: int
    description: str
    campaign_id: str = ""
    campaign_version: int = 0
    reason_code: str = ""
    reason_params: ReasonParams = ()


@dataclass(frozen=True)
class Accrual:
    """The answer to an order, kept so that a retry gets it again."""

    order_id: str
    member_id: str
    points_earned: int
    breakdown: tuple[EarningLine, ...]
    bonus_pending: bool
    balance: Balance


def tier_extra(base: int, multiplier: Decimal) -> int:
    """The extra points of a tier: base times multiplier, rounded down, less the base."""
    boosted = int((base * multiplier).to_integral_value(rounding=ROUND_FLOOR))
    return max(0, boosted - base)


def breakdown(
    priced: PricedOrder,
    rule: EarningRule,
    member: MemberContext,
    bonuses: Sequence[CampaignBonus],
) -> tuple[EarningLine, ...]:
    rate = earning_rate(format(rule.points_per_unit.normalize(), "f"), rule.currency)
    lines = [
        EarningLine(
            Source.BASE,
            priced.base_points,
            rule.describe(),
            reason_code=EARNING_RATE,
            reason_params=tuple(rate.items()),
        )
    ]
    extra = tier_extra(priced.base_points, member.tier_multiplier)
    if extra > 0:
        tier = member.tier_name or member.tier_code
        multiplier = format(member.tier_multiplier.normalize(), "f")
        lines.append(
            EarningLine(
                Source.TIER,
                extra,
                f"{tier} tier {TIMES}{multiplier}",
                reason_code=TIER_BONUS,
                reason_params=tuple(tier_bonus(tier, multiplier, dict(member.tier_names)).items()),
            )
        )
    lines.extend(
        EarningLine(
            Source.CAMPAIGN,
            bonus.points,
            f"{bonus.description} (v{bonus.campaign_version})",
            bonus.campaign_id,
            bonus.campaign_version,
            CAMPAIGN_BONUS,
            tuple(
                campaign_bonus(
                    bonus.campaign_id, bonus.campaign_version, bonus.description, dict(bonus.names)
                ).items()
            ),
        )
        for bonus in bonuses
        if bonus.points > 0
    )
    return tuple(lines)


def _where(order: Order) -> str:
    return f"at store {order.store_id}" if order.store_id else f"on {order.channel}"


def _purchase_reason(order: Order, line: EarningLine) -> tuple[str, ReasonParams]:
    """The base line's code in the ledger: its rate and currency, the order and where
    (none for a line without its rate, kept from before lines had codes)."""
    if line.reason_code != EARNING_RATE:
        return "", ()
    rate = dict(line.reason_params)
    params = reasons.purchase(
        order.order_id,
        rate.get("rate", ""),
        rate.get("currency", ""),
        store_id=order.store_id,
        channel=order.channel,
    )
    return reasons.PURCHASE, tuple(params.items())


def postings(order: Order, lines: Sequence[EarningLine]) -> list[Posting]:
    """One entry for the order, its earning lines with points inside as parts (a single
    line needs none); nothing when nothing is earned."""
    parts = []
    for line in lines:
        if line.points <= 0:
            continue
        code, params = line.reason_code, line.reason_params
        if line.source is Source.BASE:
            # In the ledger the base line also names the order and where it was placed.
            reason, kind = f"{line.description} {_where(order)}", EntryType.EARN
            code, params = _purchase_reason(order, line)
        else:
            reason = line.description
            kind = EntryType.BONUS if line.source is Source.CAMPAIGN else EntryType.EARN
        parts.append(
            Part(
                kind,
                line.points,
                reason,
                line.campaign_id,
                line.campaign_version,
                code,
                params,
            )
        )
    if not parts:
        return []
    first = parts[0]
    return [
        Posting(
            first.type,
            sum(part.points for part in parts),
            first.reason,
            order_id=order.order_id,
            campaign_id=first.campaign_id if len(parts) == 1 else "",
            campaign_version=first.campaign_version if len(parts) == 1 else 0,
            parts=tuple(parts) if len(parts) > 1 else (),
            reason_code=first.reason_code,
            reason_params=first.reason_params,
        )
    ]


def credit(
    wallet: Wallet,
    order: Order,
    lines: Sequence[EarningLine],
    *,
    lot_id: str,
    expires_at: datetime | None,
    at: datetime,
    release_at: datetime | None = None,
) -> list[Entry]:
    """One lot holding all the order earned, and its entries. With `release_at` (a pending
    period) the lot waits, and its entries are written when it is released."""
    pending = postings(order, lines)
    points = sum(p.points for p in pending)
    if points <= 0:
        return []
    lot = Lot(lot_id, order.order_id, points, points, order.occurred_at, expires_at)
    if release_at is not None and release_at > at:
        wallet.pending_lots.append(PendingLot(lot, release_at, pending))
        return []
    wallet.lifetime_earned += points
    wallet.add_lot(lot)
    return [wallet.post(p, at) for p in pending]
