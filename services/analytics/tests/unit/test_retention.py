"""The retention triangle's arithmetic, and how a member's profiling consent reaches the
read model from the member service's events."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from libs.timestamps import timestamp
from loyalty.common.v1.common_pb2 import EventMeta
from loyalty.member.v1 import events_pb2 as member_pb
from services.analytics.domain.buckets import Enrol, SetProfiling, plan
from services.analytics.domain.facts import ConsentsChanged, Enrolled
from services.analytics.domain.ports import LoggedEvent
from services.analytics.domain.retention import CohortMember, months_between, retention
from services.analytics.entrypoints.events import parse_logged

pytestmark = pytest.mark.unit
AT = datetime(2026, 10, 31, 17, 30, tzinfo=UTC)  # 01:30 on 1 November in Shanghai


def test_each_cohort_has_a_cell_per_month_from_its_own_to_the_last() -> None:
    members = [
        CohortMember("2026-01-15", ("2026-01-15", "2026-03-02")),
        CohortMember("2026-01-31", ("2026-02-01", "2026-02-20")),
        CohortMember("2026-03-01", ()),
    ]

    cohorts = retention(members, "2026-01-01", "2026-03-31")

    assert [(c.month, c.members) for c in cohorts] == [
        ("2026-01", 2),
        ("2026-02", 0),
        ("2026-03", 1),
    ]
    january = [(m.month, m.months_after, m.buyers, m.rate) for m in cohorts[0].months]
    assert january == [
        ("2026-01", 0, 1, "0.5000"),
        ("2026-02", 1, 1, "0.5000"),  # two purchases in February: one buyer
        ("2026-03", 2, 1, "0.5000"),
    ]
    assert [(m.buyers, m.rate) for m in cohorts[1].months] == [(0, ""), (0, "")]
    assert [(m.buyers, m.rate) for m in cohorts[2].months] == [(0, "0.0000")]


def test_purchases_outside_the_range_or_before_enrolment_count_in_no_month() -> None:
    member = CohortMember("2026-01-10", ("2026-01-09", "2026-02-01"))

    cohorts = retention(
        [member, CohortMember("2025-12-31", ("2026-01-05",))], "2026-01-01", "2026-01-31"
    )

    assert [(c.month, c.members, c.months[0].buyers) for c in cohorts] == [("2026-01", 1, 0)]


def test_months_run_across_a_new_year() -> None:
    assert months_between("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_an_enrolment_keeps_its_day_in_the_tenants_time_zone_and_its_profiling_refusal() -> None:
    enrolled = Enrolled("t1", "m1", AT, "pos", "S1", "member", refuses_profiling=True)

    changes = plan(enrolled, "Asia/Shanghai")

    assert changes.members == [("m1", Enrol("member", "2026-11-01", refuses_profiling=True))]


def test_a_consent_change_sets_the_refusal_either_way() -> None:
    refused = plan(ConsentsChanged("t1", "m1", AT, refuses_profiling=True), "UTC")
    given = plan(ConsentsChanged("t1", "m1", AT, refuses_profiling=False), "UTC")

    assert refused.members == [("m1", SetProfiling(refuses=True))]
    assert given.members == [("m1", SetProfiling(refuses=False))]


@pytest.mark.parametrize(
    ("consents", "refuses"),
    [
        ({"profiling": False}, True),
        ({"profiling": True}, False),
        ({"marketing": False}, False),
        ({}, False),
    ],
)
def test_only_a_profiling_consent_given_as_false_is_a_refusal(
    consents: dict[str, bool], refuses: bool
) -> None:
    meta = EventMeta(event_id="ev1", tenant_id="t1", occurred_at=timestamp(AT))
    enrolled = member_pb.MemberEnrolled(meta=meta, member_id="m1", consents=consents)
    changed = member_pb.MemberConsentsChanged(meta=meta, member_id="m1", consents=consents)

    facts = [
        parse_logged(
            LoggedEvent("ev1", "t1", 1, f"loyalty.t1.member.{kind}", message.SerializeToString())
        )
        for kind, message in (("enrolled", enrolled), ("consents_changed", changed))
    ]

    stated = [event.facts[0] for event in facts if event is not None]
    assert all(isinstance(fact, Enrolled | ConsentsChanged) for fact in stated)
    assert [
        (type(f).__name__, f.refuses_profiling)
        for f in stated
        if isinstance(f, Enrolled | ConsentsChanged)
    ] == [
        ("Enrolled", refuses),
        ("ConsentsChanged", refuses),
    ]
