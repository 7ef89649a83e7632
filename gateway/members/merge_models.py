"""Merging two members and a member's tier progress, as JSON."""

from __future__ import annotations

from pydantic import BaseModel, Field

from gateway.edge.fields import MemberId
from gateway.members.models import Strict, TierOut, Timestamp


class MergeMembersBody(Strict):
    """`POST /v1/members/merge`: `merged_id` is folded into `survivor_id`; both must be
    active members of the caller's tenant, and not the same one."""

    survivor_id: MemberId
    merged_id: MemberId


class NextTierOut(BaseModel):
    code: str
    name: str
    threshold: int


class TierProgressOut(BaseModel):
    """Where the member stands. Amounts are points earned, or spend in whole currency
    units, as `qualifying_metric` says, over the last `window_days` less returns."""

    member_id: str
    tier: TierOut
    qualifying_metric: str
    window_days: int
    qualifying_amount: int
    next_tier: NextTierOut | None = Field(description="null at the top tier")
    still_needed: int = Field(description="What the next tier still takes; 0 at the top")
    counted_since: Timestamp
    needed_by: Timestamp | None = Field(
        description=(
            "When the oldest purchase counted leaves the window and the amount starts to "
            "fall: reach the next tier by then. null while nothing counts"
        )
    )
    tier_held_until: Timestamp | None = Field(
        description="Until when the current tier holds whatever happens; null if it never drops"
    )


BODY_MODELS: tuple[type[BaseModel], ...] = (MergeMembersBody,)
