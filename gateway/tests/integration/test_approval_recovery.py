"""Approvals left `executing` by a gateway that died mid-run, against a real MongoDB-protocol
server: the crash is simulated by taking the approval to `executing` through the store under
a lease that has already run out, with the run not made, made to its end but not recorded,
or stopped halfway (its Idempotency-Key still claimed by the dead process). The recovery
loops of the gateways then finish it, and the points move exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from gateway.access.approvals.store import EXECUTING, Approval, Lease
from gateway.approvals.recovery import ApprovalRecovery
from gateway.approvals.run import run_approved
from gateway.edge.idempotency.fingerprint import record_id, request_fingerprint
from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.points_support import enrolled
from gateway.tests.integration.support import Gateway, SettingsFactory, new_tenant, running_gateway
from libs.ids import new_id
from tests.support.polling import settled

pytestmark = pytest.mark.integration

HOLD_ADJUSTMENTS = {"adjustment_points_above": 1000}
# The lease of a gateway that died: already run out.
DEAD = Lease("dead-host:1:gone", timedelta(0))
QUICK = {"approval_recovery_poll_seconds": 0.2, "idempotency_wait_seconds": 0.2}


async def held_adjustment(
    gateway: Gateway, *, recovering: bool = True
) -> tuple[Approval, dict[str, str], str]:
    """A tenant holding adjustments above 1,000 points, a 5,000-point credit its admin asked
    for, taken to `executing` by another admin whose gateway then died (or, not
    `recovering`, by a live one): the approval, the maker's headers and the member's id."""
    tenant_id = new_tenant()
    maker = await gateway.key(tenant_id, "operator")
    policy = await gateway.client.put(
        "/v1/admin/approval-policy", json=HOLD_ADJUSTMENTS, headers=maker
    )
    assert policy.status_code == 200, policy.text
    member_id = await enrolled(gateway, await gateway.key(tenant_id, "pos", store_id="S001"))
    credit = {"adjustment_id": new_id("ADJ-"), "points": 5000, "reason": "lost parcel"}
    held = await gateway.client.post(
        f"/v1/admin/members/{member_id}/points/adjustments", json=credit, headers=maker
    )
    assert held.status_code == 202, held.text
    checker = await gateway.container.keys.create_key(tenant_id, "operator")
    taken = await gateway.container.approvals.decide(
        tenant_id,
        held.json()["approval_id"],
        to=EXECUTING,
        checker_id=checker.key.key_id,
        role="admin",
        note=None,
        lease=DEAD if recovering else Lease("live-host:1:run", timedelta(hours=1)),
    )
    assert taken is not None
    return taken, maker, member_id


async def finished(gateway: Gateway, approval: Approval, within: float = 30.0) -> Approval:
    async def read() -> Approval | None:
        return await gateway.container.approvals.get(approval.tenant_id, approval.approval_id)

    found = await settled(read, lambda a: a is not None and a.status != EXECUTING, within)
    assert found is not None
    return found


async def available(gateway: Gateway, member_id: str, headers: dict[str, str]) -> int:
    balance = await gateway.client.get(f"/v1/members/{member_id}/points", headers=headers)
    assert balance.status_code == 200, balance.text
    points: int = balance.json()["available"]
    return points


async def runs_of(gateway: Gateway, approval: Approval, headers: dict[str, str]) -> list[Any]:
    """The maker's runs of the held adjustment in the audit trail, oldest first (the 202
    that held it left out)."""
    trail = await gateway.client.get(
        "/v1/admin/audit",
        params={"resource": f"approval:{approval.approval_id}", "actor": approval.maker.key_id},
        headers=headers,
    )
    assert trail.status_code == 200, trail.text
    entries = [e for e in trail.json()["entries"] if e["status"] != 202]
    return [(e["status"], e["replayed"]) for e in reversed(entries)]


async def test_an_approval_whose_gateway_died_before_running_it_runs_once(
    make_settings: SettingsFactory, services: FakeServices
) -> None:
    async with running_gateway(make_settings(**QUICK)) as gateway:
        approval, maker, member_id = await held_adjustment(gateway)

        done = await finished(gateway, approval)
        balance = await available(gateway, member_id, maker)
        runs = await runs_of(gateway, approval, maker)

    assert (done.status, done.result_status) == ("executed", 201)
    assert done.result["balance"]["available"] == 5000
    assert done.recoveries == 1
    assert (done.lease_owner, done.lease_until) == (None, None)
    assert balance == 5000
    assert runs == [(201, False)]
    wallet = services.points.wallet(approval.tenant_id, member_id)
    assert [e.points for e in wallet.entries] == [5000]


async def test_an_approval_whose_run_completed_but_was_not_recorded_replays_its_answer(
    make_settings: SettingsFactory, services: FakeServices
) -> None:
    async with running_gateway(make_settings(approval_recovery=False)) as first:
        approval, maker, member_id = await held_adjustment(first)
        status, _ = await run_approved(first.app, approval, ("checker", 1))
        still = await first.container.approvals.get(approval.tenant_id, approval.approval_id)
    async with running_gateway(make_settings(mongo_db=first.container.db.name, **QUICK)) as again:
        done = await finished(again, approval)
        balance = await available(again, member_id, maker)
        runs = await runs_of(again, approval, maker)

    assert status == 201
    assert still is not None
    assert still.status == EXECUTING
    assert (done.status, done.result_status) == ("executed", 201)
    assert done.result["balance"]["available"] == 5000
    assert balance == 5000
    assert runs == [(201, False), (201, True)]  # the recovery's run replayed the first answer
    wallet = services.points.wallet(approval.tenant_id, member_id)
    assert [e.points for e in wallet.entries] == [5000]


async def test_an_approval_whose_run_died_halfway_runs_once_the_dead_claim_on_its_key_is_free(
    make_settings: SettingsFactory, services: FakeServices
) -> None:
    settings = make_settings(idempotency_lease_seconds=2.0, **QUICK)
    async with running_gateway(settings) as gateway:
        approval, maker, member_id = await held_adjustment(gateway)
        held = approval.request
        now = datetime.now(UTC)
        await gateway.container.db["idempotency"].insert_one(
            {  # the dead gateway's claim on the run's key, as the idempotency store makes it
                "_id": record_id(approval.maker.key_id, f"approval-{approval.approval_id}"),
                "state": "running",
                "fingerprint": request_fingerprint(held.method, held.path, held.body, held.query),
                "token": new_id(),
                "created_at": now,
                "locked_until": now + timedelta(seconds=2),
                "expires_at": now + timedelta(hours=24),
            }
        )

        done = await finished(gateway, approval)
        balance = await available(gateway, member_id, maker)
        runs = await runs_of(gateway, approval, maker)

    assert (done.status, done.result_status) == ("executed", 201)
    assert done.recoveries == 1  # the claims given up while the key was claimed not counted
    assert balance == 5000
    assert runs[-1] == (201, False)
    assert [s for s, _ in runs[:-1]] == [409] * (len(runs) - 1)  # idempotency_in_progress
    wallet = services.points.wallet(approval.tenant_id, member_id)
    assert [e.points for e in wallet.entries] == [5000]


async def test_the_racing_recovery_loops_of_two_gateways_run_each_abandoned_approval_once(
    make_settings: SettingsFactory, services: FakeServices
) -> None:
    database = f"gateway_test_{new_id()}"
    async with (
        running_gateway(make_settings(mongo_db=database, **QUICK)) as first,
        running_gateway(make_settings(mongo_db=database, **QUICK)) as second,
    ):
        abandoned = [await held_adjustment(gateway) for gateway in (first, second, first, second)]
        done = [await finished(first, approval) for approval, _, _ in abandoned]
        balances = [await available(second, m, maker) for _, maker, m in abandoned]
        runs = [await runs_of(first, approval, maker) for approval, maker, _ in abandoned]

    assert [(d.status, d.result_status, d.recoveries) for d in done] == [("executed", 201, 1)] * 4
    assert balances == [5000] * 4
    assert runs == [[(201, False)]] * 4
    for approval, _, member_id in abandoned:
        wallet = services.points.wallet(approval.tenant_id, member_id)
        assert [e.points for e in wallet.entries] == [5000]


async def operator_keys(gateway: Gateway, tenant_id: str) -> list[str]:
    found = gateway.container.db["api_keys"].find({"tenant_id": tenant_id, "channel": "operator"})
    return sorted([doc["key_id"] async for doc in found])


@pytest.mark.parametrize("ran", [False, True])
async def test_an_abandoned_operator_key_is_made_once_its_run_found_in_the_audit_trail(
    make_settings: SettingsFactory, ran: bool
) -> None:
    async with running_gateway(make_settings(approval_recovery=False)) as first:
        tenant_id = new_tenant()
        maker = await first.key(tenant_id, "operator")
        await first.client.put(
            "/v1/admin/approval-policy", json={"operator_keys": True}, headers=maker
        )
        new_key = {"channel": "operator", "role": "marketer"}
        held = await first.client.post("/v1/admin/keys", json=new_key, headers=maker)
        assert held.status_code == 202, held.text
        checker = await first.container.keys.create_key(tenant_id, "operator")
        approval = await first.container.approvals.decide(
            tenant_id,
            held.json()["approval_id"],
            to=EXECUTING,
            checker_id=checker.key.key_id,
            role="admin",
            note=None,
            lease=DEAD,
        )
        assert approval is not None
        if ran:  # made, its entry written, and the gateway died before recording the approval
            status, _ = await run_approved(first.app, approval, ("checker", 1))
            assert status == 201
        before = await operator_keys(first, tenant_id)
    async with running_gateway(make_settings(mongo_db=first.container.db.name, **QUICK)) as again:
        done = await finished(again, approval)
        after = await operator_keys(again, tenant_id)

    assert (done.status, done.result_status) == ("executed", 201)
    assert len(after) == 3  # the maker's, the checker's and the new one
    assert len(before) == (3 if ran else 2)


async def test_an_approval_left_executing_before_leases_existed_is_run_once_its_lease_would_be_over(
    make_settings: SettingsFactory, services: FakeServices
) -> None:
    async with running_gateway(make_settings(approval_lease_seconds=2.0, **QUICK)) as gateway:
        stuck, maker, member_id = await held_adjustment(gateway, recovering=False)
        approvals = gateway.container.db["approvals"]
        await approvals.update_one(  # as the gateway left it before leases: no lease at all
            {"_id": stuck.approval_id},
            {
                "$unset": {"lease_owner": "", "lease_until": ""},
                "$set": {"decided_at": datetime.now(UTC), "status": EXECUTING},
            },
        )
        done = await finished(gateway, stuck)
        balance = await available(gateway, member_id, maker)

    assert (done.status, done.result_status) == ("executed", 201)
    assert balance == 5000


async def test_an_approval_whose_run_still_holds_its_lease_is_left_to_that_run(
    make_settings: SettingsFactory,
) -> None:
    async with running_gateway(make_settings(approval_recovery=False)) as gateway:
        running, _, _ = await held_adjustment(gateway, recovering=False)
        container = gateway.container
        recovery = ApprovalRecovery(
            gateway.app, container.approvals, container.audit, lease_seconds=60, retry_seconds=1
        )

        claimed = await recovery.sweep()
        left = await container.approvals.get(running.tenant_id, running.approval_id)

    assert claimed == 0
    assert left is not None
    assert (left.status, left.lease_owner, left.recoveries) == (EXECUTING, "live-host:1:run", 0)
