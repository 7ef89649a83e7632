from __future__ import annotations

from gateway.edge.metrics.recent import CallCounts, RecentCalls, service_of

ACCRUE = "/loyalty.points.v1.PointsService/AccrueOrder"


def test_a_method_belongs_to_the_service_its_package_names() -> None:
    assert service_of(ACCRUE) == "points"
    assert service_of("/loyalty.member.v1.MemberService/GetMember") == "member"


def test_failures_are_counted_and_refusals_are_answers() -> None:
    recent = RecentCalls(clock=lambda: 1_000_000.0)
    for code in ("OK", "NOT_FOUND", "FAILED_PRECONDITION", "UNAVAILABLE", "DEADLINE_EXCEEDED"):
        recent.record(ACCRUE, code)

    assert recent.counts("points") == CallCounts(calls=5, failed=2)
    assert recent.counts("member") == CallCounts()


def test_calls_older_than_the_window_are_forgotten() -> None:
    minutes_passed = [0]
    recent = RecentCalls(minutes=5, clock=lambda: 1_000_000.0 + 60 * minutes_passed[0])
    recent.record(ACCRUE, "INTERNAL")
    minutes_passed[0] = 4
    recent.record(ACCRUE, "OK")

    assert recent.counts("points") == CallCounts(calls=2, failed=1)
    minutes_passed[0] = 5
    assert recent.counts("points") == CallCounts(calls=1, failed=0)
    minutes_passed[0] = 9
    assert recent.counts("points") == CallCounts()
