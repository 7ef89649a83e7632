from __future__ import annotations

from gateway.edge.metrics.recent import CallCounts, RecentCalls, service_of

ACCRUE = "/loyalty.points.v1.PointsService/AccrueOrder"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_method_belongs_to_the_service_its_package_names() -> None:
    assert service_of(ACCRUE) == "points"
    assert service_of("/loyalty.member.v1.MemberService/GetMember") == "member"


def test_failures_are_counted_and_refusals_are_answers() -> None:
    recent = RecentCalls(clock=Clock())
    for code in ("OK", "NOT_FOUND", "FAILED_PRECONDITION", "UNAVAILABLE", "DEADLINE_EXCEEDED"):
        recent.record(ACCRUE, code)

    assert recent.counts("points") == CallCounts(calls=5, failed=2)
    assert recent.counts("member") == CallCounts()


def test_calls_older_than_the_window_are_forgotten() -> None:
    clock = Clock()
    recent = RecentCalls(minutes=5, clock=clock)
    recent.record(ACCRUE, "INTERNAL")
    clock.now += 4 * 60
    recent.record(ACCRUE, "OK")

    assert recent.counts("points") == CallCounts(calls=2, failed=1)
    clock.now += 60
    assert recent.counts("points") == CallCounts(calls=1, failed=0)
    clock.now += 4 * 60
    assert recent.counts("points") == CallCounts()
