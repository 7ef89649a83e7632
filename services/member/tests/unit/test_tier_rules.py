from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from libs.errors import InvalidArgument
from services.member.domain.tier_rules import (
    evaluate_tier,
    expire_manual_tier,
    period_end,
    set_manual_tier,
)
from services.member.domain.tiers import DowngradePolicy, Tier, TierProgram, TierState

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
YEAR = timedelta(days=365)


def program(policy: DowngradePolicy = DowngradePolicy.PERIOD_END, grace: int = 0) -> TierProgram:
    tiers = (
        Tier("member", "Member", 0, Decimal(1)),
        Tier("silver", "Silver", 1000, Decimal("1.25")),
        Tier("gold", "Gold", 5000, Decimal("1.5")),
    )
    return TierProgram(tiers, "points_earned", 365, grace, downgrade_policy=policy)


def holding(code: str, since: datetime = NOW - timedelta(days=100)) -> TierState:
    return TierState(code, code.title(), since, since + YEAR)


def test_an_upgrade_happens_at_once_and_starts_a_new_period() -> None:
    outcome = evaluate_tier(program(), 5200, holding("member"), NOW)
    assert (outcome.state.code, outcome.reason, outcome.tier_changed) == ("gold", "upgrade", True)
    assert (outcome.state.since, outcome.state.period_ends_at) == (NOW, NOW + YEAR)


def test_falling_below_the_threshold_changes_nothing_before_the_period_ends() -> None:
    current = holding("gold")
    outcome = evaluate_tier(program(), 100, current, NOW)
    assert outcome.state == current
    assert not outcome.changed


def test_at_the_end_of_the_period_the_member_drops_to_the_tier_still_earned() -> None:
    current = holding("gold", since=NOW - YEAR)
    outcome = evaluate_tier(program(), 1200, current, NOW)
    assert (outcome.state.code, outcome.reason) == ("silver", "downgrade")
    assert outcome.state.period_ends_at == NOW + YEAR


def test_the_grace_days_delay_a_downgrade() -> None:
    current = holding("gold", since=NOW - YEAR)
    kept = evaluate_tier(program(grace=30), 0, current, NOW + timedelta(days=29))
    dropped = evaluate_tier(program(grace=30), 0, current, NOW + timedelta(days=30))
    assert (kept.state.code, dropped.state.code) == ("gold", "member")


def test_one_tier_at_a_time_drops_a_single_tier_per_period() -> None:
    policy = program(DowngradePolicy.ONE_TIER)
    first = evaluate_tier(policy, 0, holding("gold", since=NOW - YEAR), NOW)
    early = evaluate_tier(policy, 0, first.state, NOW + timedelta(days=1))
    second = evaluate_tier(policy, 0, first.state, NOW + YEAR)
    assert (first.state.code, early.state.code, second.state.code) == ("silver", "silver", "member")


def test_a_program_that_never_downgrades_only_renews_the_period() -> None:
    outcome = evaluate_tier(program(DowngradePolicy.NEVER), 0, holding("gold", NOW - YEAR), NOW)
    assert (outcome.state.code, outcome.reason, outcome.tier_changed) == ("gold", "renewed", False)
    assert outcome.state.period_ends_at == period_end(program(), NOW)


def test_a_member_who_still_qualifies_at_period_end_keeps_the_tier_for_another_period() -> None:
    outcome = evaluate_tier(program(), 6000, holding("gold", NOW - YEAR), NOW)
    assert (outcome.state.code, outcome.state.period_ends_at) == ("gold", NOW + YEAR)


def test_a_manual_tier_holds_until_its_end_date_then_reverts_to_the_tier_before() -> None:
    manual = set_manual_tier(
        program(),
        holding("silver"),
        code="gold",
        reason="VIP",
        until=NOW + timedelta(days=30),
        now=NOW,
    )
    during = evaluate_tier(program(), 0, manual.state, NOW + timedelta(days=29))
    after = expire_manual_tier(program(), manual.state, NOW + timedelta(days=30))
    assert (manual.state.code, manual.reason, manual.state.manual is not None) == (
        "gold",
        "manual",
        True,
    )
    assert (during.state.code, during.changed) == ("gold", False)
    assert (after.state.code, after.reason, after.state.manual) == (
        "silver",
        "manual_expired",
        None,
    )


def test_after_a_manual_tier_expires_the_amount_is_counted_as_usual() -> None:
    manual = set_manual_tier(
        program(),
        holding("member"),
        code="silver",
        reason="trial",
        until=NOW,
        now=NOW - timedelta(days=1),
    )
    outcome = evaluate_tier(program(), 6000, manual.state, NOW)
    assert (outcome.state.code, outcome.reason, outcome.state.manual) == ("gold", "upgrade", None)


def test_an_upgrade_above_a_manual_tier_ends_it() -> None:
    manual = set_manual_tier(
        program(), holding("member"), code="silver", reason="trial", until=NOW + YEAR, now=NOW
    )
    outcome = evaluate_tier(program(), 5000, manual.state, NOW + timedelta(days=1))
    assert (outcome.state.code, outcome.state.manual) == ("gold", None)


def test_a_second_manual_tier_still_reverts_to_the_tier_before_the_first() -> None:
    first = set_manual_tier(
        program(), holding("member"), code="silver", reason="a", until=NOW + YEAR, now=NOW
    )
    second = set_manual_tier(
        program(), first.state, code="gold", reason="b", until=NOW + YEAR, now=NOW
    )
    assert second.state.manual is not None
    assert second.state.manual.previous_code == "member"


@pytest.mark.parametrize(
    ("code", "reason", "until", "message"),
    [
        ("platinum", "x", NOW + YEAR, "tier: must be one of member, silver, gold"),
        ("gold", " ", NOW + YEAR, "reason"),
        ("gold", "x", NOW, "until"),
        ("gold", "x", NOW + 11 * YEAR, "until"),
    ],
)
def test_a_manual_tier_needs_a_known_tier_a_reason_and_a_future_end(
    code: str, reason: str, until: datetime, message: str
) -> None:
    with pytest.raises(InvalidArgument, match=message):
        set_manual_tier(
            program(), holding("member"), code=code, reason=reason, until=until, now=NOW
        )


@pytest.mark.parametrize("policy", list(DowngradePolicy))
def test_a_return_that_undoes_the_qualifying_purchase_drops_the_tier_at_once(
    policy: DowngradePolicy,
) -> None:
    upgraded = evaluate_tier(program(policy), 5100, holding("silver"), NOW)
    returned = evaluate_tier(
        program(policy), 1100, upgraded.state, NOW + timedelta(hours=1), reversal=True
    )
    kept = evaluate_tier(
        program(policy), 5050, upgraded.state, NOW + timedelta(hours=1), reversal=True
    )
    assert (returned.state.code, returned.reason) == ("silver", "reversed")
    assert (kept.state.code, kept.changed) == ("gold", False)


def test_a_return_does_not_undo_an_operator_s_manual_tier() -> None:
    manual = set_manual_tier(
        program(), holding("member"), code="gold", reason="VIP", until=NOW + YEAR, now=NOW
    )
    outcome = evaluate_tier(program(), 0, manual.state, NOW, reversal=True)
    assert (outcome.state.code, outcome.changed) == ("gold", False)
