import os
import signal
import time
from collections.abc import Iterator

import pytest

from libs.stack.signals import StopRequested, StopSignals


@pytest.fixture
def stop() -> Iterator[StopSignals]:
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    signals = StopSignals()
    signals.install()
    signals.interrupt = False
    try:
        yield signals
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def restart_that_gets_a_sigterm(stop: StopSignals) -> None:
    with stop.interrupting():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises before this ends


def test_a_sigterm_while_a_part_restarts_interrupts_the_restart(stop: StopSignals) -> None:
    with pytest.raises(StopRequested):
        restart_that_gets_a_sigterm(stop)

    assert stop.requested.is_set()
    assert stop.interrupt is False


def test_a_sigterm_between_restarts_only_ends_the_wait(stop: StopSignals) -> None:
    os.kill(os.getpid(), signal.SIGTERM)

    assert stop.wait(5.0) is True


def test_a_restart_asked_for_after_a_stop_does_not_begin(stop: StopSignals) -> None:
    stop.requested.set()
    began = False

    with pytest.raises(StopRequested), stop.interrupting():
        began = True

    assert began is False
