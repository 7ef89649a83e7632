"""The platform as a cluster, one of each kind of part killed in turn under load: nothing
lost or doubled, the consumers' work shared by their replicas, and the clients told only
to try again meanwhile.

`scale_report` (conftest.py) ran the faults once. The promises the single platform keeps
through its faults are judged here by the same tests (tests/faults), against the
cluster's run; the ones below are the cluster's own.
"""

from __future__ import annotations

import asyncio

import nats

from libs.nats import STREAM_NAME, server_urls
from libs.stack.cluster import ClusterStack
from tests.faults import test_budgets_through_faults as budgets
from tests.faults import test_kill_and_restart as faults
from tests.faults.gauntlet import FaultReport
from tests.faults.load import PROBLEM_JSON
from tests.faults.summary import first_attempts
from tests.scale.conftest import VICTIMS, ScaleReport
from tests.scale.spread import replicas_of

# A durable fed fewer events than this over the run may fairly have been served by one
# replica alone (each fetch takes up to a hundred).
SHARED_FROM = 20
RETRYABLE = {503: "service_unavailable", 504: "upstream_timeout"}
BROKEN = {"ConnectError", "ReadError", "RemoteProtocolError", "WriteError"}

test_every_purchase_the_client_saw_succeed_is_credited_exactly_once = (
    faults.test_every_purchase_the_client_saw_succeed_is_credited_exactly_once
)
test_every_failed_purchase_is_settled_by_its_retry_and_credited_once = (
    faults.test_every_failed_purchase_is_settled_by_its_retry_and_credited_once
)
test_reconciliation_finds_no_drift = faults.test_reconciliation_finds_no_drift
test_every_committed_ledger_change_has_exactly_one_event_in_the_stream = (
    faults.test_every_committed_ledger_change_has_exactly_one_event_in_the_stream
)
test_every_outbox_row_was_published_after_the_faults = (
    faults.test_every_outbox_row_was_published_after_the_faults
)
test_no_hold_is_left_past_its_expiry = faults.test_no_hold_is_left_past_its_expiry
test_no_request_hung_past_the_gateways_deadline = (
    faults.test_no_request_hung_past_the_gateways_deadline
)
test_only_the_gateways_own_death_broke_connections = (
    faults.test_only_the_gateways_own_death_broke_connections
)
test_once_a_part_is_back_the_clients_are_served_again_within_seconds = (
    faults.test_once_a_part_is_back_the_clients_are_served_again_within_seconds
)
test_after_every_kill_a_budget_is_granted_held_or_left_and_never_more = (
    budgets.test_after_every_kill_a_budget_is_granted_held_or_left_and_never_more
)
test_once_settled_each_budget_is_used_exactly_and_its_members_hold_it = (
    budgets.test_once_settled_each_budget_is_used_exactly_and_its_members_hold_it
)
test_no_member_is_rewarded_past_the_per_member_limit = (
    budgets.test_no_member_is_rewarded_past_the_per_member_limit
)


def test_a_nats_node_and_one_replica_of_each_part_died_of_sigkill(
    fault_report: FaultReport,
) -> None:
    assert [(p.part, p.exit_code) for p in fault_report.phases] == [(v, -9) for v in VICTIMS]


def test_the_stream_is_replicated_on_every_node_and_each_copy_is_current(
    scale_stack: ClusterStack, scale_report: ScaleReport
) -> None:
    async def read() -> tuple[int, str | None, list[bool]]:
        client = await nats.connect(server_urls(scale_stack.urls["nats"]))
        try:
            info = await client.jetstream().stream_info(STREAM_NAME)
        finally:
            await client.close()
        assert info.cluster is not None
        followers = [bool(peer.current) for peer in info.cluster.replicas or []]
        return info.config.num_replicas or 1, info.cluster.leader, followers

    replicas, leader, followers = asyncio.run(read())

    assert replicas == 3
    assert leader in scale_stack.nats_nodes
    assert followers == [True, True]


def test_every_busy_durable_consumer_shared_its_work_between_both_replicas(
    scale_stack: ClusterStack, scale_report: ScaleReport
) -> None:
    handled = scale_report.work.by_durable()
    busy = {durable: counts for durable, counts in handled.items() if sum(counts.values())}
    parts = {name.partition("-")[0] for counts in busy.values() for name in counts}

    assert {"member", "campaign", "analytics", "gateway"} <= parts, handled
    for durable, counts in busy.items():
        if sum(counts.values()) < SHARED_FROM:
            continue
        part = next(iter(counts)).partition("-")[0]
        idle = [name for name in replicas_of(scale_stack, part) if not counts.get(name)]
        assert idle == [], (durable, counts)


def test_no_durable_consumer_was_left_with_an_event_undelivered_or_unacknowledged(
    scale_report: ScaleReport,
) -> None:
    durables = {durable for _, _, durable in scale_report.work.seen}

    assert set(scale_report.backlogs) == durables
    left = {d: b for d, b in scale_report.backlogs.items() if b.pending or b.unacked}
    assert left == {}


def test_the_clients_saw_only_answers_that_say_try_again(fault_report: FaultReport) -> None:
    sent = first_attempts(fault_report)
    refused = [o for o in sent if o.status is not None and not o.succeeded]
    broken = [o for o in sent if o.status is None]

    assert {(o.status, o.body.get("code")) for o in refused} <= set(RETRYABLE.items())
    assert {o.content_type for o in refused} <= {PROBLEM_JSON}
    assert [o for o in refused if o.status == 503 and not o.retry_after] == []
    assert {o.error for o in broken} <= BROKEN
