"""A batch's lease grants summed per lease: the counts one `confirm` per grant would make."""

from __future__ import annotations

from services.campaign.campaigns.domain.lease_counts import LeaseCount, summed


def test_grants_of_one_lease_sum_their_points_grants_and_days() -> None:
    totals = summed(
        [
            LeaseCount("l1", 10, "2026-12-01"),
            LeaseCount("l2", 5, "2026-12-01"),
            LeaseCount("l1", 20, "2026-12-02"),
            LeaseCount("l1", 10, "2026-12-01"),
        ]
    )

    assert list(totals) == ["l1", "l2"]
    assert (totals["l1"].points, totals["l1"].grants) == (40, 3)
    assert totals["l1"].by_day == {"2026-12-01": (20, 2), "2026-12-02": (20, 1)}
    assert (totals["l2"].points, totals["l2"].grants, totals["l2"].by_day) == (
        5,
        1,
        {"2026-12-01": (5, 1)},
    )


def test_no_grants_sum_to_no_leases() -> None:
    assert summed([]) == {}
