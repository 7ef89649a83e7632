"""Work shielded from its caller finishes whole, and a failure nobody awaits is logged."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest

from libs.tasks import finish_whole


async def _after(gate: asyncio.Event, done: list[str], *, fail: bool = False) -> str:
    await gate.wait()
    if fail:
        raise RuntimeError("write conflict")
    done.append("work")
    return "result"


async def test_the_caller_gets_the_works_result() -> None:
    gate, done = asyncio.Event(), list[str]()
    gate.set()

    assert await finish_whole(_after(gate, done), name="test") == "result"
    assert done == ["work"]


async def test_work_whose_caller_was_cancelled_finishes_and_then_runs() -> None:
    gate, done = asyncio.Event(), list[str]()
    caller = asyncio.create_task(
        finish_whole(_after(gate, done), name="test", then=lambda: done.append("then"))
    )
    await asyncio.sleep(0.01)
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    assert done == []

    gate.set()
    await asyncio.sleep(0.01)

    assert done == ["work", "then"]


async def test_a_failure_nobody_awaits_is_logged_and_not_left_to_the_loop(
    capsys: pytest.CaptureFixture[str],
) -> None:
    loop = asyncio.get_running_loop()
    unretrieved: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _, context: unretrieved.append(context))
    try:
        gate = asyncio.Event()
        caller = asyncio.create_task(finish_whole(_after(gate, [], fail=True), name="hold"))
        await asyncio.sleep(0.01)
        caller.cancel()
        with pytest.raises(asyncio.CancelledError):
            await caller
        gate.set()
        await asyncio.sleep(0.01)
        del caller
        gc.collect()
        await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(None)

    assert unretrieved == []
    logged = capsys.readouterr()
    assert "abandoned_work_failed" in logged.out + logged.err
    assert "write conflict" in logged.out + logged.err
