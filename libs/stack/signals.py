"""Ctrl-C and SIGTERM for the launcher: the first one stops the stack, later ones wait."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

logger = logging.getLogger("libs.stack")


class StopRequested(Exception):
    """SIGINT or SIGTERM arrived while a part of the stack was starting."""


class StopSignals:
    """Turns the first SIGINT/SIGTERM into a stop; later ones are ignored while stopping.

    While a part starts (the first start, or a restart by the supervisor) the signal
    interrupts the start by raising StopRequested, so whoever started it stops what was
    started. Otherwise it only sets `requested`.
    """

    def __init__(self) -> None:
        self.requested = threading.Event()
        self.interrupt = True

    def install(self) -> None:
        signal.signal(signal.SIGINT, self._handle)
        signal.signal(signal.SIGTERM, self._handle)

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True as soon as a stop is requested."""
        return self.requested.wait(seconds)

    @contextmanager
    def interrupting(self) -> Iterator[None]:
        """Within the block a stop signal raises StopRequested instead of only being noted."""
        self.interrupt = True
        try:
            if self.requested.is_set():
                raise StopRequested
            yield
        finally:
            self.interrupt = False

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.requested.is_set():
            logger.info("already stopping; please wait")
            return
        self.requested.set()
        logger.info("%s received; stopping", signal.Signals(signum).name)
        if self.interrupt:
            raise StopRequested
