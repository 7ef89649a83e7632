"""What a running process is waiting on, on demand: `kill -USR1 <pid>` logs a census of
its asyncio tasks (how many wait at each place, by the coroutine that started them and
the innermost line they are suspended at), and `kill -USR2 <pid>` writes every thread's
Python stack to stderr (which answers even when the event loop itself is stuck).

For an operator whose service answers nothing in time while it looks idle: the census
names what its requests wait for (a pool, a lock, a server) without a debugger.
"""

from __future__ import annotations

import asyncio
import faulthandler
import signal
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from types import CoroutineType, FrameType, GeneratorType
from typing import Any

from libs.logging import get_logger

log = get_logger(__name__)

CENSUS_SIGNAL = signal.SIGUSR1
STACKS_SIGNAL = signal.SIGUSR2
SHOWN_PLACES = 12
_REPO = str(Path(__file__).resolve().parents[1])


def _where(frame: FrameType) -> str:
    code = frame.f_code
    parts = Path(code.co_filename).parts
    return f"{'/'.join(parts[-2:])}:{frame.f_lineno} {code.co_name}"


def _awaited_frames(coro: Any) -> list[FrameType]:
    """The frames of a suspended coroutine and of each one it awaits, outermost first."""
    frames: list[FrameType] = []
    current = coro
    for _ in range(200):  # a chain this deep is a bug of its own; stop rather than loop
        frame = getattr(current, "cr_frame", None) or getattr(current, "gi_frame", None)
        if frame is None:
            frame = getattr(current, "ag_frame", None)
        if frame is not None:
            frames.append(frame)
        nxt = (
            getattr(current, "cr_await", None)
            or getattr(current, "gi_yieldfrom", None)
            or getattr(current, "ag_await", None)
        )
        if nxt is None or (
            not isinstance(nxt, (CoroutineType, GeneratorType)) and not hasattr(nxt, "cr_await")
        ):
            break
        current = nxt
    return frames


def _ours(frame: FrameType) -> bool:
    path = frame.f_code.co_filename
    return path.startswith(_REPO) and "site-packages" not in path


def place_of(task: asyncio.Task[Any]) -> str:
    """`started by -> the platform's innermost line -> waiting at` for one task (the middle
    one left out when it is neither of the others)."""
    frames = _awaited_frames(task.get_coro())
    if not frames:
        return f"{task.get_name()} (not started)"
    ours = [frame for frame in frames[1:-1] if _ours(frame)]
    steps = [frames[0].f_code.co_qualname, *(_where(ours[-1]) for _ in ours[-1:])]
    return " -> ".join([*steps, _where(frames[-1])])


def census(tasks: Iterable[asyncio.Task[Any]]) -> Counter[str]:
    """How many of `tasks` wait at each place."""
    return Counter(place_of(task) for task in tasks if not task.done())


def log_census() -> None:
    counted = census(asyncio.all_tasks())
    log.info(
        "task_census",
        tasks=sum(counted.values()),
        places=[f"{n} x {place}" for place, n in counted.most_common(SHOWN_PLACES)],
    )


def install() -> None:
    """Answer the two signals in this process; called on its running event loop."""
    asyncio.get_running_loop().add_signal_handler(CENSUS_SIGNAL, log_census)
    if sys.__stderr__ is not None:  # the process's own stderr, whatever replaced sys.stderr
        faulthandler.register(STACKS_SIGNAL, file=sys.__stderr__, all_threads=True)
