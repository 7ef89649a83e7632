"""A campaign's budget and its per-member limit through every kill: never exceeded, never
lost, and used exactly once the qualifying orders are settled (docs/design.md, 7)."""

from __future__ import annotations

from collections import Counter

from tests.faults.campaigns import BONUS_SKU, bonuses
from tests.faults.gauntlet import FaultReport


def test_after_every_kill_a_budget_is_granted_held_or_left_and_never_more(
    fault_report: FaultReport,
) -> None:
    for launched in fault_report.campaigns:
        budget = launched.campaign.budget
        seen = {s.after for s in launched.snapshots}
        killed = {f"{phase.part} back" for phase in fault_report.phases}
        assert killed - seen <= {"gateway back"}, seen
        for snap in launched.snapshots:
            r = snap.results
            accounted = r["points_granted"] + r["points_reserved"] + r["budget_left"]
            assert accounted == budget, (launched.campaign.name, snap.after, r)


def test_once_settled_each_budget_is_used_exactly_and_its_members_hold_it(
    fault_report: FaultReport,
) -> None:
    qualifying = [p for p in fault_report.purchases if p.body["lines"][0]["sku"] == BONUS_SKU]
    assert len(qualifying) > 60, "too few qualifying orders to use up a budget"
    for launched in fault_report.campaigns:
        final = launched.final
        paid = [
            points
            for ledger in fault_report.ledgers.values()
            for points in bonuses(ledger, launched.campaign_id)
        ]
        assert final["points_reserved"] == 0, final
        assert sum(paid) == final["points_granted"], launched.campaign.name
        assert set(paid) <= {launched.campaign.points}
    budgeted = fault_report.campaigns[0]
    assert (budgeted.final["points_granted"], budgeted.final["budget_left"]) == (
        budgeted.campaign.budget,
        0,
    )


def test_no_member_is_rewarded_past_the_per_member_limit(fault_report: FaultReport) -> None:
    limited = next(c for c in fault_report.campaigns if c.campaign.per_member is not None)
    per_member = Counter(
        {m: len(bonuses(ledger, limited.campaign_id)) for m, ledger in fault_report.ledgers.items()}
    )

    assert max(per_member.values()) == limited.campaign.per_member
    assert sum(per_member.values()) == limited.final["grants"]
