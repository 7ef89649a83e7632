"""The recovery of approvals left `executing` by a gateway that died in the middle of
their run (docs/approvals.md, "A gateway that dies mid-run").

Every gateway process runs one loop (`approval_recovery`): it claims an `executing`
approval whose lease ran out (one conditional update, so of several gateways one takes
it) and runs it again through `run_approved`, as its maker, with the same
`Idempotency-Key` `approval-<id>`: a request that had completed replays its stored
answer, one that had not runs now. A first request whose claim on the key is still
leased (its gateway died a moment ago) answers 409 `idempotency_in_progress`; the
approval is then given up and claimed again a poll later, until that claim's lease has
run out and the run takes the key over.

A route whose answers are never stored (creating an operator key) has no replay: its
run is looked for in the audit trail instead (the recorder writes the entry before the
answer completes); found, the approval is finished with its status, else it runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.types import ASGIApp

from gateway.access.approvals.store import Approval, ApprovalStore, Lease
from gateway.approvals.run import run_leased
from gateway.edge.audit.store import AuditQuery, AuditStore
from gateway.edge.idempotency.guard import NOT_STORED
from libs.logging import get_logger
from libs.workers import Sweeper, holder_name

log = get_logger(__name__)

# Approvals recovered one after another before the loop waits for its next poll.
BATCH = 10
# A run that failed to finish this many times (the process crashed each time) is failed.
MAX_RECOVERIES = 5
CLIENT = ("approval-recovery", 0)


class ApprovalRecovery:
    def __init__(
        self,
        app: ASGIApp,
        store: ApprovalStore,
        audit: AuditStore,
        *,
        lease_seconds: float,
        retry_seconds: float,
    ) -> None:
        self._app = app
        self._store = store
        self._audit = audit
        self._lease = timedelta(seconds=lease_seconds)
        self._retry = timedelta(seconds=retry_seconds)

    async def sweep(self) -> int:
        """Recover abandoned approvals, at most `BATCH`; how many were claimed."""
        claimed = 0
        while claimed < BATCH:
            lease = Lease(holder_name(), self._lease)
            approval = await self._store.claim_abandoned(lease, datetime.now(UTC))
            if approval is None:
                break
            claimed += 1
            await self.recover(approval, lease)
        return claimed

    async def recover(self, approval: Approval, lease: Lease) -> None:
        approval_id = approval.approval_id
        log.warning("approval_recovering", approval_id=approval_id, attempt=approval.recoveries)
        if approval.recoveries > MAX_RECOVERIES:
            result = {"error": f"the run did not finish in {MAX_RECOVERIES} attempts"}
            await self._store.finish(approval, status=500, result=result)
            return
        ran = await self._run_in_trail(approval)
        if ran is not None:
            await self._store.finish(approval, status=ran[0], result=ran[1])
            return
        try:
            done = await run_leased(self._app, self._store, approval, lease, CLIENT)
        except Exception as exc:  # left to its lease, claimed again later
            log.warning("approval_recovery_failed", approval_id=approval_id, error=repr(exc))
            return
        if done is None:
            await self._store.release(approval_id, lease.owner, self._retry)
            return
        log.info("approval_recovered", approval_id=approval_id, status=done.status)

    async def _run_in_trail(self, approval: Approval) -> tuple[int, Any] | None:
        """For a route whose answers are never stored: the status of its run as the audit
        trail recorded it, and the resources the run named; None when it never ran."""
        held = approval.request
        if (held.method, held.route) not in NOT_STORED:
            return None
        query = AuditQuery(
            approval.tenant_id,
            actor=approval.maker.key_id,
            resource=f"approval:{approval.approval_id}",
            action=f"{held.method} {held.route}",
        )
        page = await self._audit.search(query, limit=20, cursor=None)
        for entry in page.entries:
            if entry.route == held.route and entry.status != 202:  # 202: when it was held
                named = [f"{r.kind}:{r.id}" for r in entry.resources if r.kind != "approval"]
                return entry.status, {"recovered_from": entry.entry_id, "resources": named}
        return None


@asynccontextmanager
async def recovering_approvals(
    app: ASGIApp,
    store: ApprovalStore,
    audit: AuditStore,
    *,
    enabled: bool,
    lease_seconds: float,
    poll_seconds: float,
    grace_seconds: float,
) -> AsyncIterator[ApprovalRecovery | None]:
    """This process's recovery loop, from start to shutdown (none when turned off)."""
    if not enabled:
        yield None
        return
    recovery = ApprovalRecovery(
        app, store, audit, lease_seconds=lease_seconds, retry_seconds=poll_seconds
    )
    loop = Sweeper("approval_recovery", recovery.sweep, poll_seconds, batch=BATCH)
    task = asyncio.create_task(loop.run())
    try:
        yield recovery
    finally:
        loop.stop()
        await asyncio.wait([task], timeout=grace_seconds)
