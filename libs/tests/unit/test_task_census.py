"""The task census names what each waiting task was started as, the platform's innermost
line in its chain of awaits, and where it is suspended."""

from __future__ import annotations

import asyncio
import faulthandler
import os

import pytest

from libs import task_census
from libs.task_census import CENSUS_SIGNAL, STACKS_SIGNAL, census, place_of


async def _checkout(gate: asyncio.Event) -> None:
    await gate.wait()


async def _handler(gate: asyncio.Event) -> None:
    await _checkout(gate)


async def test_tasks_waiting_at_the_same_line_are_counted_together() -> None:
    gate = asyncio.Event()
    waiting = [asyncio.create_task(_handler(gate)) for _ in range(3)]
    sleeping = asyncio.create_task(asyncio.sleep(30))
    await asyncio.sleep(0)
    counted = census([*waiting, sleeping])
    [(place, n)] = [(p, n) for p, n in counted.items() if p.startswith("_handler")]
    assert n == 3
    started, ours, inner = place.split(" -> ")
    assert started == "_handler"
    assert ours.startswith("unit/test_task_census.py:")
    assert ours.endswith(" _checkout")
    assert inner.startswith("asyncio/locks.py:")
    assert inner.endswith(" wait")
    assert sum(counted.values()) == 4
    gate.set()
    sleeping.cancel()
    await asyncio.gather(*waiting, sleeping, return_exceptions=True)
    assert census([*waiting, sleeping]) == {}


async def test_a_task_not_yet_run_is_named() -> None:
    task = asyncio.create_task(_handler(asyncio.Event()), name="fresh")
    assert place_of(task).startswith("_handler -> ")  # created, suspended at its start
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_the_signal_logs_a_census(capsys: pytest.CaptureFixture[str]) -> None:
    gate = asyncio.Event()
    waiting = asyncio.create_task(_handler(gate))
    task_census.install()
    try:
        await asyncio.sleep(0)
        os.kill(os.getpid(), CENSUS_SIGNAL)
        for _ in range(100):
            await asyncio.sleep(0.01)
            captured = capsys.readouterr()
            if "task_census" in captured.out + captured.err:
                break
        else:
            pytest.fail("no census was logged")
    finally:
        asyncio.get_running_loop().remove_signal_handler(CENSUS_SIGNAL)
        faulthandler.unregister(STACKS_SIGNAL)
        gate.set()
        await waiting
