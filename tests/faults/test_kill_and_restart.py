"""Each part killed in turn under load: nothing lost, nothing doubled, clear errors meanwhile.

`fault_report` (conftest.py) ran the faults once; each test judges one promise.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from typing import Any

from tests.faults.evidence import credited_points
from tests.faults.gauntlet import VICTIMS, FaultReport
from tests.faults.load import HOLD_POINTS, PROBLEM_JSON, Outcome, Purchase
from tests.faults.summary import cut_short_by_the_points_kill, first_attempts

UPSTREAM_CODES = {503: "service_unavailable", 504: "upstream_timeout"}
# A purchase makes two calls to the services in turn (the member, then the points), each
# under the gateway's deadline; the rest is the gateway's own work on a busy machine.
CALLS_IN_TURN = 2
MARGIN_SECONDS = 4.0
# A part answering its health check again is reachable through the gateway within this
# long (the channels retry a connection at least every second); purchases sent in the
# last second before the next kill may meet that kill, or the burst that precedes it.
RECOVERY_SECONDS = 2.5
BEFORE_NEXT_KILL = 1.0
# The client's connections to the killed gateway break when it dies; one the client's
# pool took up again just as the new gateway answered its health check was seen to fail
# 10 ms after, still of the same death.
GATEWAY_DEATH_FELT_SECONDS = 1.0


def credited(report: FaultReport, purchase: Purchase) -> int:
    return credited_points(report.ledgers[purchase.member_id], purchase.order_id)


def earned(answer: dict[str, Any]) -> int:
    """What an order's answer says it earned besides campaigns (their bonuses are judged
    against the campaigns' budgets, below)."""
    return sum(line["points"] for line in answer["breakdown"] if line["source"] != "campaign")


def not_retryable(outcomes: list[Outcome]) -> list[tuple[str, int | None, Any, Any]]:
    """Answers that are not a 503/504 problem, with their request ids to find in the
    stack's log."""
    return [
        (o.kind, o.status, o.body.get("code"), o.body.get("request_id"))
        for o in outcomes
        if o.status not in UPSTREAM_CODES or UPSTREAM_CODES[o.status] != o.body.get("code")
    ]


def started_while_down(report: FaultReport, part: str, kind: str) -> list[Outcome]:
    phase = report.phase(part)
    found = [o for o in first_attempts(report) if o.kind == kind and phase.covers(o.started)]
    assert found, f"no {kind} was sent while {part} was down"
    return found


def assert_served(answers: list[Outcome], locked: set[str], part: str) -> None:
    """Every purchase credited (201), but a locked member's may have waited out the deadline."""
    assert {o.status for o in answers if o.member_id not in locked} == {201}, part
    assert {o.status for o in answers if o.member_id in locked} <= {201, 504}, part


def test_each_part_died_of_sigkill(fault_report: FaultReport) -> None:
    assert [(p.part, p.exit_code) for p in fault_report.phases] == [(v, -9) for v in VICTIMS]


def test_every_purchase_the_client_saw_succeed_is_credited_exactly_once(
    fault_report: FaultReport,
) -> None:
    succeeded = [p for p in fault_report.purchases if p.attempts[0].succeeded]

    assert len(succeeded) > 100
    wrong = {
        p.order_id: (credited(fault_report, p), earned(p.attempts[0].body))
        for p in succeeded
        if credited(fault_report, p) != earned(p.attempts[0].body)
    }
    assert wrong == {}


def test_every_failed_purchase_is_settled_by_its_retry_and_credited_once(
    fault_report: FaultReport,
) -> None:
    failed = [p for p in fault_report.purchases if not p.attempts[0].succeeded]

    assert failed, "no purchase failed: the faults did not reach the clients"
    unsettled = [p.order_id for p in failed if not p.attempts[-1].succeeded]
    assert unsettled == []
    # 200: the first attempt had been credited after all; 201: it had not, the retry did it.
    assert {p.attempts[-1].status for p in failed} <= {200, 201}
    wrong = {
        p.order_id: (credited(fault_report, p), earned(p.attempts[-1].body))
        for p in failed
        if credited(fault_report, p) != earned(p.attempts[-1].body)
    }
    assert wrong == {}


def test_reconciliation_finds_no_drift(fault_report: FaultReport) -> None:
    assert fault_report.drifting == []
    for member_id, entries in fault_report.ledgers.items():
        wallet = fault_report.balances[member_id]
        assert sum(e["points"] for e in entries) == wallet["available"] + wallet["held"]


def test_every_committed_ledger_change_has_exactly_one_event_in_the_stream(
    fault_report: FaultReport,
) -> None:
    ours = set(fault_report.members)
    events = [e for e in fault_report.events if e.member_id in ours]
    announced = Counter(entry_id for event in events for entry_id in event.entry_ids)
    written = {e["entry_id"] for entries in fault_report.ledgers.values() for e in entries}

    assert len(written) > 100
    assert {entry_id: announced[entry_id] for entry_id in written if announced[entry_id] != 1} == {}
    assert set(announced) <= written, "an event announces an entry no ledger holds"
    assert [i for i, n in Counter(e.event_id for e in events).items() if n > 1] == []


def test_every_outbox_row_was_published_after_the_faults(fault_report: FaultReport) -> None:
    assert fault_report.unpublished == dict.fromkeys(fault_report.unpublished, 0)
    assert len(fault_report.unpublished) == 3


def test_no_hold_is_left_past_its_expiry(fault_report: FaultReport) -> None:
    abandoned = [o for o in fault_report.redemptions if o.kind == "hold" and o.succeeded]

    assert len(abandoned) > 10
    assert {m: b["held"] for m, b in fault_report.balances.items() if b["held"]} == {}
    expired = [e for e in fault_report.events if e.event_type == "points.released"]
    assert expired, "no hold was released by the platform"


def test_while_a_service_was_down_the_clients_got_503_or_504_problems(
    fault_report: FaultReport,
) -> None:
    for part in ("points", "member", "mongo"):
        answers = started_while_down(fault_report, part, "purchase")
        assert any(o.status in UPSTREAM_CODES for o in answers), part
    errors = [o for o in first_attempts(fault_report) if o.status is not None and o.status >= 500]
    assert errors
    assert not_retryable(errors) == []
    assert {o.content_type for o in errors} == {PROBLEM_JSON}
    assert [o for o in errors if o.status == 503 and o.retry_after != "1"] == []


def test_while_the_database_was_down_every_refusal_was_a_retryable_problem(
    fault_report: FaultReport,
) -> None:
    down = fault_report.phase("mongo")
    sent = [o for o in first_attempts(fault_report) if down.covers(o.started)]
    refused = [o for o in sent if not o.succeeded]

    assert refused, "no request met the dead database"
    assert not_retryable(refused) == []
    assert {o.content_type for o in refused} == {PROBLEM_JSON}


def test_every_hold_and_capture_the_client_saw_succeed_is_kept(fault_report: FaultReport) -> None:
    held = [o.body for o in fault_report.redemptions if o.kind == "hold" and o.status == 201]
    captured = [o.body for o in fault_report.redemptions if o.kind == "capture" and o.succeeded]

    assert len(held) > 10
    assert captured
    kept = fault_report.holds
    assert [h["redemption_id"] for h in held if h["redemption_id"] not in kept] == []
    assert {kept[h["redemption_id"]]["points"] for h in held} == {HOLD_POINTS}
    assert {kept[c["redemption_id"]]["status"] for c in captured} == {"captured"}


def test_no_request_hung_past_the_gateways_deadline(fault_report: FaultReport) -> None:
    bound = CALLS_IN_TURN * fault_report.deadline_seconds + MARGIN_SECONDS
    sent = first_attempts(fault_report)

    assert [o for o in sent if o.timed_out] == []
    assert max(o.elapsed for o in sent) <= bound


def test_only_the_gateways_own_death_broke_connections(fault_report: FaultReport) -> None:
    gateway = fault_report.phase("gateway")
    broken = [o for o in first_attempts(fault_report) if o.status is None]

    assert broken, "no request met the dead gateway"
    felt_until = gateway.back_at + GATEWAY_DEATH_FELT_SECONDS
    assert [o for o in broken if not gateway.killed_at - 5 <= o.started < felt_until] == []


def test_purchases_earn_while_campaign_nats_or_redis_is_down(fault_report: FaultReport) -> None:
    locked = cut_short_by_the_points_kill(fault_report)

    for part in ("campaign", "nats", "redis"):
        assert_served(started_while_down(fault_report, part, "purchase"), locked, part)


def test_once_a_part_is_back_the_clients_are_served_again_within_seconds(
    fault_report: FaultReport,
) -> None:
    phases = fault_report.phases
    windows = [
        (phase.part, phase.back_at + RECOVERY_SECONDS, after.killed_at - BEFORE_NEXT_KILL)
        for phase, after in pairwise(phases)
    ]
    purchases = [o for o in first_attempts(fault_report) if o.kind == "purchase"]
    locked = cut_short_by_the_points_kill(fault_report)

    for part, start, end in windows:
        served = [o for o in purchases if start <= o.started < end]
        assert served, f"no purchase was sent once {part} was back"
        assert_served(served, locked, part)


def test_with_redis_down_the_rate_limiter_fails_open_and_says_so(
    fault_report: FaultReport,
) -> None:
    assert "rate_limit_unavailable_failing_open" in fault_report.stack_log
