"""PyMongo's condition waits, cancelled twice, leave the lock as they found it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pymongo.asynchronous import pool, topology
from pymongo.lock import _async_create_condition, _async_create_lock

import libs.mongo  # noqa: F401  (installs the waits, as every process using MongoDB does)
from libs.mongo_waits import wait_in_own_task


@pytest.mark.parametrize("module", [topology, pool])
async def test_pymongos_topology_and_pool_wait_in_the_callers_task(module: Any) -> None:
    assert module._async_cond_wait is wait_in_own_task


async def test_a_wait_cancelled_twice_takes_the_lock_back_before_it_ends() -> None:
    lock = _async_create_lock()
    condition = _async_create_condition(lock)
    waiting = asyncio.Event()

    async def select_server() -> None:
        async with lock:  # as PyMongo's server selection holds the topology's lock
            waiting.set()
            await topology._async_cond_wait(condition, 30.0)  # type: ignore[attr-defined]

    selection = asyncio.create_task(select_server())
    await waiting.wait()
    await lock.acquire()  # another operation has the lock when the cancellations come
    selection.cancel()
    await asyncio.sleep(0)
    selection.cancel()
    for _ in range(5):
        await asyncio.sleep(0)

    assert not selection.done(), "the cancelled wait left without the lock"
    lock.release()
    with pytest.raises(asyncio.CancelledError):
        await selection
    assert not lock.locked()


async def test_a_wait_that_times_out_answers_false_holding_the_lock() -> None:
    lock = _async_create_lock()
    condition = _async_create_condition(lock)

    async with lock:
        assert await wait_in_own_task(condition, 0.01) is False
        assert lock.locked()


async def test_a_notified_wait_answers_true() -> None:
    lock = _async_create_lock()
    condition = _async_create_condition(lock)

    async def notify() -> None:
        async with lock:
            condition.notify_all()

    async with lock:
        notifier = asyncio.create_task(notify())
        assert await wait_in_own_task(condition, 5.0) is True
    await notifier
