"""Tier progress from its MemberService message."""

from __future__ import annotations

from gateway.members.merge_models import NextTierOut, TierProgressOut
from gateway.members.models import TierOut
from gateway.members.translate import tier_from_proto, timestamp_to_datetime
from loyalty.member.v1 import member_pb2


def progress_from_proto(progress: member_pb2.TierProgress) -> TierProgressOut:
    tier = tier_from_proto(member_pb2.Member(tier=progress.tier)) or TierOut(code="", name="")
    next_tier = None
    if progress.HasField("next_tier"):
        found = progress.next_tier
        next_tier = NextTierOut(code=found.code, name=found.name, threshold=found.threshold)

    return TierProgressOut.model_validate(
        {
            "member_id": progress.member_id,
            "tier": tier,
            "qualifying_metric": progress.qualifying_metric,
            "window_days": progress.window_days,
            "qualifying_amount": progress.qualifying_amount,
            "next_tier": next_tier,
            "still_needed": progress.still_needed,
            "counted_since": timestamp_to_datetime(progress.counted_since),
            "needed_by": timestamp_to_datetime(progress.needed_by)
            if progress.HasField("needed_by")
            else None,
            "tier_held_until": timestamp_to_datetime(progress.tier_held_until)
            if progress.HasField("tier_held_until")
            else None,
        }
    )
