"""Work that finishes whole even when its caller stops waiting for it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TypeVar

from libs.logging import get_logger

T = TypeVar("T")

log = get_logger(__name__)


async def finish_whole(
    work: Awaitable[T], *, name: str, then: Callable[[], None] | None = None
) -> T:
    """Await `work` shielded from the caller's cancellation. When the caller is cancelled
    the work goes on; once it ends, a failure nobody will read is logged (not left to the
    loop's "exception was never retrieved") and `then` runs."""
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        task.add_done_callback(partial(_abandoned_ended, name, then))
        raise


def _abandoned_ended(
    name: str, then: Callable[[], None] | None, task: asyncio.Future[object]
) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        log.warning("abandoned_work_failed", work=name, error=repr(error))
    if then is not None:
        then()
