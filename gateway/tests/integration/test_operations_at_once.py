"""A gateway process runs several long operations at once (`OPERATIONS_CONCURRENCY`), one
per tenant at a time, so one tenant's large file does not hold up another tenant's; an
operation whose process died is still resumed from its last step, each step run once.

The runners here work on a database of their own with a work of the tests' own kind, so
the test gateway's own runner never sees their operations."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

from gateway.shared.operation_runner import OperationRunner, Running, Work
from gateway.tenancy.operations import OperationStore, operation_doc
from gateway.tests.integration.support import Gateway, new_tenant
from libs.ids import new_id
from libs.mongo import Doc
from tests.support.polling import eventually, settled

KIND = "held_steps"
STEPS = 3
OWNER = "key:k_tests"


class HeldSteps:
    """A work of `STEPS` steps that waits for `go` before each step and remembers which
    operations started and every step it ran."""

    def __init__(self) -> None:
        self.go = asyncio.Event()
        self.started: list[str] = []
        self.steps: list[tuple[str, int]] = []

    async def __call__(self, running: Running) -> None:
        self.started.append(running.op["_id"])
        for step in range(running.op["done"] + 1, STEPS + 1):
            await self.go.wait()
            self.steps.append((running.op["_id"], step))
            await running.step(step, {"steps": step})


def new_store(gateway: Gateway) -> OperationStore:
    return OperationStore(gateway.container.mongo[f"operations_{new_id()}"]["console_operations"])


async def queued(store: OperationStore, tenant_id: str) -> str:
    doc = operation_doc(tenant_id, OWNER, KIND, "s", STEPS, work={"n": 1})
    await store.start_background(doc)
    return str(doc["_id"])


@asynccontextmanager
async def running(
    gateway: Gateway, store: OperationStore, work: Work, **limits: int
) -> AsyncIterator[OperationRunner]:
    runner = OperationRunner(
        store,
        gateway.container,
        {KIND: work},
        lease=timedelta(seconds=1),
        poll_seconds=0.05,
        **limits,
    )
    task = asyncio.create_task(runner.run())
    try:
        yield runner
    finally:
        runner.stop()
        await asyncio.wait([task], timeout=10)


async def ended(store: OperationStore, tenant_id: str, operation_id: str) -> Doc:
    async def read() -> Doc:
        found = await store.get(tenant_id, OWNER, operation_id)
        assert found is not None
        return found

    ended_op: Doc = await settled(read, lambda op: op["state"] != "running", within=30)
    return ended_op


def started_all(work: HeldSteps, *ids: str) -> Callable[[], bool]:
    return lambda: set(ids) <= set(work.started)


async def test_two_tenants_operations_run_at_the_same_time_and_a_tenants_second_waits_its_turn(
    gateway: Gateway,
) -> None:
    store, work = new_store(gateway), HeldSteps()
    tenant, other = new_tenant(), new_tenant()
    first = await queued(store, tenant)
    second_of_tenant = await queued(store, tenant)
    others = await queued(store, other)

    async with running(gateway, store, work, concurrency=2, per_tenant=1):
        await eventually(started_all(work, first, others), within=30)
        await asyncio.sleep(0.5)  # a free slot would have taken the tenant's second by now
        before_go = list(work.started)
        work.go.set()
        done = [
            await ended(store, t, op)
            for t, op in ((tenant, first), (other, others), (tenant, second_of_tenant))
        ]

    assert sorted(before_go) == sorted([first, others])
    assert [op["state"] for op in done] == ["done"] * 3
    assert sorted(work.steps) == sorted(
        (op, step) for op in (first, others, second_of_tenant) for step in range(1, STEPS + 1)
    )


async def test_an_operation_whose_process_stalled_is_resumed_by_another_from_its_last_step(
    gateway: Gateway,
) -> None:
    store, work = new_store(gateway), HeldSteps()
    tenant = new_tenant()
    operation_id = await queued(store, tenant)
    woken = asyncio.Event()
    stalled_steps: list[tuple[str, int]] = []

    async def stalls_after_its_first_step(running: Running) -> None:
        await running.step(1, {"steps": 1})
        stalled_steps.append((running.op["_id"], 1))
        await woken.wait()  # its lease runs out meanwhile
        await running.step(2, {"steps": 2})  # LeaseLost: another process carries on
        stalled_steps.append((running.op["_id"], 2))

    async with running(gateway, store, stalls_after_its_first_step, concurrency=2):
        await eventually(lambda: stalled_steps == [(operation_id, 1)], within=30)
        async with running(gateway, store, work, concurrency=2):
            work.go.set()
            op = await ended(store, tenant, operation_id)
        woken.set()

    assert (op["state"], op["done"]) == ("done", STEPS)
    assert work.started == [operation_id]
    assert stalled_steps + work.steps == [(operation_id, s) for s in range(1, STEPS + 1)]
