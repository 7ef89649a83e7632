"""The fault run read back: which requests are which, and the run in a few lines."""

from __future__ import annotations

from collections import Counter

from tests.faults.evidence import RETRIED_READS
from tests.faults.gauntlet import FaultReport
from tests.faults.load import Outcome


def first_attempts(report: FaultReport) -> list[Outcome]:
    """Every request the load sent, first attempts only (retries come after the faults)."""
    return [p.attempts[0] for p in report.purchases] + list(report.redemptions)


def cut_short_by_the_points_kill(report: FaultReport) -> set[str]:
    """Members with a request in flight when the points service was killed.

    The database keeps a killed client's open transaction, and the wallet it locked,
    until its transaction lifetime ends (60 s): meanwhile that member's purchases wait
    out the deadline (504) and their retries succeed afterwards.
    """
    kill = report.phase("points").killed_at
    sent = first_attempts(report)
    return {o.member_id for o in sent if o.started < kill < o.started + o.elapsed}


def answer_of(outcome: Outcome) -> str:
    if outcome.timed_out:
        return "timeout"
    if outcome.status is None:
        return outcome.error
    return str(outcome.status)


def summary_lines(report: FaultReport) -> list[str]:
    sent = first_attempts(report)
    lines = [f"{'part killed':<12} {'sent while down':>15}  answers  (slowest)"]
    for phase in report.phases:
        during = [o for o in sent if phase.covers(o.started)]
        answers = Counter(answer_of(o) for o in during)
        slowest = max((o.elapsed for o in during), default=0.0)
        shown = ", ".join(f"{answer} x{n}" for answer, n in sorted(answers.items()))
        lines.append(f"{phase.part:<12} {len(during):>15}  {shown}  ({slowest:.2f}s)")
    failed = [p for p in report.purchases if not p.attempts[0].succeeded]
    retried = Counter(str(p.attempts[-1].status) for p in failed)
    holds = sum(1 for o in report.redemptions if o.kind == "hold")
    lines += [
        f"purchases: {len(report.purchases)}, failed at first: {len(failed)}, "
        f"settled by the retry: {dict(sorted(retried.items()))}",
        f"holds: {holds}, captures: {sum(1 for o in report.redemptions if o.kind == 'capture')}",
        f"members with a request in flight when points was killed: "
        f"{len(cut_short_by_the_points_kill(report))} of {len(report.members)}",
        f"ledger entries: {sum(len(e) for e in report.ledgers.values())}, "
        f"points events in the stream: {len(report.events)}, drifting: {len(report.drifting)}",
        f"slowest answer: {max(o.elapsed for o in sent):.2f}s "
        f"(gateway deadline per call {report.deadline_seconds:.1f}s)",
        f"evidence reads asked again after a 503/504: {dict(sorted(RETRIED_READS.items()))}",
    ]
    return lines
