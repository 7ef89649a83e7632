"""How a member's tier moves: upgrades at once, downgrades when a period ends, manual tiers.

`evaluate_tier` is what a consumer of qualifying events (points earned, spend, returns)
calls with the amount over the program's window; the other functions are the operator's
manual tier and its expiry. All are pure: they return the new state and why it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from libs.errors import InvalidArgument
from services.member.domain.tiers import (
    DowngradePolicy,
    ManualTier,
    Tier,
    TierProgram,
    TierState,
)

MAX_MANUAL_DAYS = 3660


@dataclass(frozen=True)
class TierOutcome:
    """The state after a rule ran; `reason` is empty when nothing changed."""

    before: TierState
    state: TierState
    reason: str = ""

    @property
    def tier_changed(self) -> bool:
        return self.before.code != self.state.code

    @property
    def changed(self) -> bool:
        return self.before != self.state


def earned_tier(program: TierProgram, qualifying_amount: int) -> Tier:
    """The highest tier whose threshold the amount reaches."""
    return [t for t in program.tiers if t.threshold <= qualifying_amount][-1]


def period_end(program: TierProgram, start: datetime) -> datetime:
    return start + timedelta(days=program.window_days)


def _enter(program: TierProgram, tier: Tier, now: datetime) -> TierState:
    return TierState(tier.code, tier.name, now, period_end(program, now))


def expire_manual_tier(program: TierProgram, current: TierState, now: datetime) -> TierOutcome:
    """A manual tier past its end date reverts to the tier held before it."""
    manual = current.manual
    if manual is None or now < manual.until:
        return TierOutcome(current, current)
    previous = program.tier(manual.previous_code) or program.entry_tier
    return TierOutcome(current, _enter(program, previous, now), "manual_expired")


def evaluate_tier(
    program: TierProgram,
    qualifying_amount: int,
    current: TierState,
    now: datetime,
    *,
    reversal: bool = False,
) -> TierOutcome:
    """The tier after counting `qualifying_amount` (over the program's window) at `now`.

    Upgrades happen at once, also above a manual tier (which they end). Downgrades wait
    for the end of the qualification period plus the grace days, never happen while a
    manual tier is in force, and follow the program's downgrade policy. A `reversal` (a
    return that undid qualifying purchases) is the exception: a tier the amount no longer
    reaches was never earned, so the member drops to the tier it does reach at once,
    whatever the policy, unless an operator's manual tier is in force.
    """
    expired = expire_manual_tier(program, current, now)
    state = expired.state
    rank = program.rank_of(state.code)
    earned = earned_tier(program, qualifying_amount)
    earned_rank = program.rank_of(earned.code)
    if earned_rank > rank:
        return TierOutcome(current, _enter(program, earned, now), "upgrade")
    if reversal and earned_rank < rank and state.manual is None:
        return TierOutcome(current, _enter(program, earned, now), "reversed")
    ends = state.period_ends_at or period_end(program, state.since)
    grace = timedelta(days=program.downgrade_grace_days)
    if state.manual is not None or now < ends + grace:
        return TierOutcome(current, state, expired.reason)
    if earned_rank == rank or program.downgrade_policy is DowngradePolicy.NEVER:
        renewed = TierState(state.code, state.name, state.since, period_end(program, now))
        return TierOutcome(current, renewed, expired.reason or "renewed")
    if program.downgrade_policy is DowngradePolicy.ONE_TIER:
        earned = program.tiers[max(rank - 1, earned_rank)]
    return TierOutcome(current, _enter(program, earned, now), "downgrade")


def set_manual_tier(
    program: TierProgram,
    current: TierState | None,
    *,
    code: str,
    reason: str,
    until: datetime,
    now: datetime,
) -> TierOutcome:
    tier = program.tier(code)
    if tier is None:
        codes = ", ".join(t.code for t in program.tiers)
        raise InvalidArgument(f"tier: must be one of {codes}")
    if not reason.strip() or len(reason) > 200:
        raise InvalidArgument("reason: required, at most 200 characters")
    if until <= now or until > now + timedelta(days=MAX_MANUAL_DAYS):
        raise InvalidArgument(f"until: a time in the future, within {MAX_MANUAL_DAYS} days")
    before = current or TierState(program.entry_tier.code, program.entry_tier.name, now)
    previous = before.manual.previous_code if before.manual else before.code
    since = before.since if before.code == tier.code else now
    manual = ManualTier(tier.code, reason.strip(), until, previous)
    state = TierState(tier.code, tier.name, since, before.period_ends_at, manual)
    return TierOutcome(before, state, "manual")
