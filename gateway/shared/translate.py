"""The shared answers from their protobuf messages."""

from __future__ import annotations

from collections.abc import Mapping

from gateway.shared.answers import (
    BalanceOut,
    CouponOut,
    DiscountOut,
    EarningLineOut,
    LocalizedDescriptionOut,
    LocalizedNameOut,
    ManualTierOut,
    NextTierOut,
    TierOut,
    TierProgressOut,
)
from libs.reasons import render
from libs.timestamps import aware, optional_datetime
from loyalty.campaign.v1 import coupons_pb2
from loyalty.member.v1 import member_pb2
from loyalty.points.v1 import points_pb2 as pb


def earning_line_out(line: pb.EarningLine, locale: str | None) -> EarningLineOut:
    """An order's (or a cart's) earning line, with its description in `locale` when one
    is given."""
    localized = None
    if locale is not None:
        text = render(line.reason_code, dict(line.reason_params), line.description, locale)
        localized = LocalizedDescriptionOut(description=text)
    return EarningLineOut(
        source=line.source,
        points=line.points,
        description=line.description,
        campaign_id=line.campaign_id or None,
        localized=localized,
    )


def balance_from_proto(balance: pb.Balance) -> BalanceOut:
    return BalanceOut(available=balance.available, held=balance.held)


# A tenant's tier names in the reader's language, by tier code; a code left out reads as
# typed. None: the answer has no `localized` (the reader's language was not asked).
TierNames = Mapping[str, str] | None


def _localized(code: str, typed: str, names: TierNames) -> LocalizedNameOut | None:
    return None if names is None else LocalizedNameOut(name=names.get(code, typed))


def tier_from_proto(member: member_pb2.Member, names: TierNames = None) -> TierOut | None:
    if not member.HasField("tier") or not member.tier.code:
        return None
    tier = member.tier
    since = aware(tier.since) if tier.HasField("since") else None
    manual = None
    if tier.HasField("manual"):
        manual = ManualTierOut(
            reason=tier.manual.reason,
            until=aware(tier.manual.until),
            reverts_to=tier.manual.previous_code,
        )
    ends = aware(tier.period_ends_at) if tier.HasField("period_ends_at") else None
    return TierOut(
        code=tier.code,
        name=tier.name,
        since=since,
        period_ends_at=ends,
        manual=manual,
        localized=_localized(tier.code, tier.name, names),
    )


def progress_from_proto(
    progress: member_pb2.TierProgress, names: TierNames = None
) -> TierProgressOut:
    tier = tier_from_proto(member_pb2.Member(tier=progress.tier), names) or TierOut(
        code="", name=""
    )
    next_tier = None
    if progress.HasField("next_tier"):
        found = progress.next_tier
        next_tier = NextTierOut(
            code=found.code,
            name=found.name,
            threshold=found.threshold,
            localized=_localized(found.code, found.name, names),
        )

    return TierProgressOut.model_validate(
        {
            "member_id": progress.member_id,
            "tier": tier,
            "qualifying_metric": progress.qualifying_metric,
            "window_days": progress.window_days,
            "qualifying_amount": progress.qualifying_amount,
            "next_tier": next_tier,
            "still_needed": progress.still_needed,
            "counted_since": aware(progress.counted_since),
            "needed_by": aware(progress.needed_by) if progress.HasField("needed_by") else None,
            "tier_held_until": aware(progress.tier_held_until)
            if progress.HasField("tier_held_until")
            else None,
        }
    )


def discount_out(d: coupons_pb2.CouponDiscount) -> DiscountOut:
    return DiscountOut(
        kind=d.kind,
        amount=d.amount or None,
        currency=d.currency or None,
        percent=d.percent or None,
        sku=d.sku or None,
    )


def coupon_out(c: coupons_pb2.Coupon) -> CouponOut:
    return CouponOut(
        coupon_id=c.coupon_id,
        code=c.code,
        template_id=c.template_id,
        name=c.name,
        kind=c.kind,
        member_id=c.member_id or None,
        discount=discount_out(c.discount),
        min_total=c.min_total or None,
        issued_at=aware(c.issued_at),
        valid_from=optional_datetime(c, "valid_from"),
        valid_until=optional_datetime(c, "valid_until"),
        max_redemptions=c.max_redemptions,
        redemptions=c.redemptions,
        per_member_limit=c.per_member_limit if c.HasField("per_member_limit") else None,
        state=c.state,
        campaign_id=c.campaign_id or None,
    )
