"""The gateway's runner of background operations (docs/console.md, "Long operations").

Each gateway process runs one: it claims an operation whose lease has run out (new, or
left by a gateway that stopped or crashed), runs it step by step with the slice's `Work`
for its kind, records every step with its progress and result (renewing the lease), and
its end. It runs up to `concurrency` operations at once, at most `per_tenant` of one
tenant's (it claims none of a tenant that has that many running here), so one tenant's
large file does not hold up another tenant's. A step must be idempotent: a resumed
operation starts again from the last step recorded, so the step after it may run twice
(a bulk adjustment's rows apply once per file id and row; a step of bulk coupon codes is
one batch per request id; a backtest changes nothing). An operation that failed `MAX_ATTEMPTS`
times in a row (its services away, say) is recorded as failed."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import grpc
from grpc import aio

from gateway.container import Container
from gateway.tenancy.operations import OperationStore
from libs.clock import utc_now
from libs.logging import get_logger
from libs.mongo import Doc
from libs.workers import WorkerLoop, holder_name

log = get_logger(__name__)

MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(seconds=5)
# What a service says of a request that would fail the same way again.
REFUSALS = frozenset(
    {
        grpc.StatusCode.NOT_FOUND,
        grpc.StatusCode.INVALID_ARGUMENT,
        grpc.StatusCode.FAILED_PRECONDITION,
        grpc.StatusCode.PERMISSION_DENIED,
        grpc.StatusCode.OUT_OF_RANGE,
    }
)


def _said(err: aio.AioRpcError) -> str:
    return f"{err.code().name.lower()}: {err.details() or ''}"[:2000]


class LeaseLost(Exception):
    """Another gateway holds the operation now: this one stops running it."""


@dataclass
class Running:
    """One claimed operation as its work sees it: its record (`input` included) and how
    to record a step."""

    op: Doc
    container: Container
    _store: OperationStore
    _worker: str
    _lease: timedelta
    _runner: OperationRunner

    @property
    def input(self) -> Doc:
        work: Doc = self.op["input"]
        return work

    @property
    def stopping(self) -> bool:
        return self._runner.stopping

    async def step(self, done: int, result: dict[str, Any]) -> None:
        """Record a step done (renewing the lease); LeaseLost when another gateway took
        it over meanwhile."""
        changes = {"done": done, "result": result}
        if not await self._store.advance(self.op["_id"], self._worker, changes, self._lease):
            raise LeaseLost(self.op["_id"])
        self.op.update(changes)


Work = Callable[[Running], Awaitable[None]]
"""Runs an operation from where its record says it got to, recording each step; returns
when every step is done (the runner records the end)."""


class OperationRunner(WorkerLoop):
    def __init__(
        self,
        store: OperationStore,
        container: Container,
        works: Mapping[str, Work],
        *,
        lease: timedelta,
        poll_seconds: float,
        concurrency: int = 1,
        per_tenant: int = 1,
    ) -> None:
        super().__init__()
        self._store = store
        self._container = container
        self._works = works
        self._lease = lease
        self._poll_seconds = poll_seconds
        self._concurrency = concurrency
        self._per_tenant = per_tenant
        self._running: dict[asyncio.Task[None], str] = {}  # each task's tenant
        self.worker_id = holder_name()

    async def run(self) -> None:
        while not self.stopping:
            if len(self._running) >= self._concurrency:
                await asyncio.wait(
                    self._running, timeout=self._poll_seconds, return_when="FIRST_COMPLETED"
                )
                continue
            try:
                op = await self._store.claim(
                    self.worker_id, utc_now(), self._lease, self._full_tenants()
                )
            except Exception as exc:  # the database away: try again shortly
                log.warning("operation_claim_deferred", error=repr(exc))
                op = None
            if op is None:
                await self.pause(self._poll_seconds)
                continue
            task = asyncio.create_task(self._run(op))
            self._running[task] = op["tenant_id"]
            task.add_done_callback(self._running.pop)
        if self._running:  # each sees `stopping` after its step and gives its operation up
            await asyncio.wait(self._running)

    def _full_tenants(self) -> set[str]:
        """The tenants with as many operations running here as one tenant may have."""
        counts = Counter(self._running.values())
        return {tenant for tenant, n in counts.items() if n >= self._per_tenant}

    async def _run(self, op: Doc) -> None:
        operation_id = op["_id"]
        work = self._works.get(op["kind"])
        if work is None or int(op.get("attempts", 1)) > MAX_ATTEMPTS:
            error = "no runner for its kind" if work is None else "it failed too many times"
            await self._end(op, {"state": "failed", "error": error})
            return
        running = Running(op, self._container, self._store, self.worker_id, self._lease, self)
        log.info("operation_running", operation_id=operation_id, kind=op["kind"], done=op["done"])
        try:
            await work(running)
        except LeaseLost:
            log.warning("operation_lease_lost", operation_id=operation_id)
            return
        except aio.AioRpcError as err:
            if err.code() in REFUSALS:  # never better on a second try
                await self._end(op, {"state": "failed", "error": _said(err)})
                return
            await self._later(operation_id, err)
            return
        except Exception as exc:
            await self._later(operation_id, exc)
            return
        if self.stopping and running.op["done"] < running.op["total"]:
            await self._store.release(operation_id, self.worker_id)
            return
        await self._end(op, {"state": "done", "done": running.op["done"]})

    async def _later(self, operation_id: str, exc: BaseException) -> None:
        """A step failed (a service away, say): claimed again a little later."""
        log.warning("operation_step_failed", operation_id=operation_id, error=repr(exc))
        try:
            await self._store.release(operation_id, self.worker_id, RETRY_AFTER)
        except Exception as again:  # left to its lease
            log.warning("operation_release_deferred", operation_id=operation_id, error=repr(again))

    async def _end(self, op: Doc, changes: dict[str, Any]) -> None:
        try:
            await self._store.advance(op["_id"], self.worker_id, changes, self._lease)
        except Exception as exc:  # left running: its lease runs out and it is ended again
            log.warning("operation_end_deferred", operation_id=op["_id"], error=repr(exc))
        log.info("operation_ended", operation_id=op["_id"], state=changes["state"])


@asynccontextmanager
async def running_operations(
    container: Container,
    store: OperationStore,
    works: Mapping[str, Work],
    *,
    enabled: bool,
    lease_seconds: float,
    poll_seconds: float,
    grace_seconds: float,
    concurrency: int = 1,
    per_tenant: int = 1,
) -> AsyncIterator[OperationRunner | None]:
    """This process's runner, from start to shutdown (none when turned off)."""
    if not enabled:
        yield None
        return
    runner = OperationRunner(
        store,
        container,
        works,
        lease=timedelta(seconds=lease_seconds),
        poll_seconds=poll_seconds,
        concurrency=concurrency,
        per_tenant=per_tenant,
    )
    task = asyncio.create_task(runner.run())
    try:
        yield runner
    finally:
        runner.stop()
        await asyncio.wait([task], timeout=grace_seconds)
