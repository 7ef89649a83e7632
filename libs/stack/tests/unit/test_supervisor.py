"""The supervisor over fake parts and a fake clock: what it restarts, when, and when not."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from libs.process_status import ProcessStatus, read_status
from libs.stack.errors import StackStartError
from libs.stack.policy import RestartPolicy
from libs.stack.supervisor import Supervisor

POLICY = RestartPolicy(max_failures=3, window_seconds=60.0, first_delay_seconds=1.0)


@dataclass
class FakeProcess:
    returncode: int | None = None
    lines: list[str] = field(default_factory=list)

    def last_lines(self) -> list[str]:
        return self.lines


@dataclass
class FakePart:
    """A part whose process dies when told; each start fails while `broken`."""

    pid: int | None = 100
    external: bool = False
    broken: bool = False
    process: FakeProcess | None = field(default_factory=FakeProcess)
    starts: int = 0
    stops: int = 0

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    def die(self, code: int, *lines: str) -> None:
        assert self.process is not None
        self.process.returncode, self.process.lines = code, list(lines)

    def stop(self, timeout: float = 10.0) -> int | None:
        self.stops += 1
        return None if self.process is None else self.process.returncode

    def start(self) -> None:
        self.starts += 1
        self.pid = 100 + self.starts
        if self.broken:
            self.process = FakeProcess(3, ["cannot open the data directory"])
            raise StackStartError("fake", "exited with code 3", self.process.lines)
        self.process = FakeProcess()


class FakeClock:
    """Time that passes only when the supervisor waits; a stop may come after some waits."""

    def __init__(self, stop_after_waits: int | None = None) -> None:
        self.now = 0.0
        self.waits: list[float] = []
        self.stop_after_waits = stop_after_waits

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> bool:
        self.waits.append(seconds)
        self.now += seconds
        return self.stop_after_waits is not None and len(self.waits) >= self.stop_after_waits

    @contextmanager
    def interrupting(self) -> Iterator[None]:
        yield


def supervisor(parts: dict[str, FakePart], clock: FakeClock, status: Path) -> Supervisor:
    return Supervisor(parts, clock, policy=POLICY, status_file=status, clock=clock)


def test_a_part_that_dies_is_started_again_after_the_first_delay_and_counted(
    tmp_path: Path,
) -> None:
    clock, status = FakeClock(), tmp_path / "status.json"
    mongo, gateway = FakePart(), FakePart()
    watcher = supervisor({"mongo": mongo, "gateway": gateway}, clock, status)
    mongo.die(-9, "checkpoint done")

    assert watcher.check_once() is True

    assert (mongo.stops, mongo.starts, gateway.starts) == (1, 1, 0)
    assert clock.waits == [1.0]
    assert read_status(status) == {
        "mongo": ProcessStatus("running", 1, -9, mongo.pid),
        "gateway": ProcessStatus("running", 0, None, 100),
    }


def test_each_death_is_logged_with_its_exit_code_and_last_lines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    nats = FakePart()
    watcher = supervisor({"nats": nats}, FakeClock(), tmp_path / "status.json")
    nats.die(-9, "JetStream ready")

    with caplog.at_level(logging.INFO, "libs.stack"):
        watcher.check_once()

    assert "nats exited with code -9 while running; restarting in 1s" in caplog.text
    assert "JetStream ready" in caplog.text
    assert "nats is back (restart 1)" in caplog.text


def test_a_part_that_fails_at_every_start_is_given_up_on_by_name(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock, status = FakeClock(), tmp_path / "status.json"
    points = FakePart(broken=True)
    watcher = supervisor({"points": points}, clock, status)
    points.die(1)

    with caplog.at_level(logging.ERROR, "libs.stack"):
        assert watcher.check_once() is False

    assert points.starts == POLICY.max_failures - 1
    assert clock.waits == [1.0, 2.0]
    assert watcher.given_up == "points"
    assert "giving up on points: it failed 3 times within 60s" in caplog.text
    assert "cannot open the data directory" in caplog.text
    assert read_status(status)["points"] == ProcessStatus("given_up", 2, 3, None)


def test_a_stop_during_the_backoff_wait_restarts_nothing(tmp_path: Path) -> None:
    redis = FakePart()
    watcher = supervisor({"redis": redis}, FakeClock(stop_after_waits=1), tmp_path / "s.json")
    redis.die(-9)

    assert watcher.check_once() is True

    assert redis.starts == 0
    assert read_status(tmp_path / "s.json")["redis"].state == "restarting"


def test_run_returns_zero_on_a_stop_and_one_after_a_give_up(tmp_path: Path) -> None:
    calm = supervisor({"member": FakePart()}, FakeClock(stop_after_waits=3), tmp_path / "a")
    assert calm.run() == 0

    broken = FakePart(broken=True)
    broken.die(2)
    assert supervisor({"member": broken}, FakeClock(), tmp_path / "b").run() == 1


def test_an_external_server_is_never_restarted(tmp_path: Path) -> None:
    given = FakePart(external=True)
    given.die(0)

    assert supervisor({"mongo": given}, FakeClock(), tmp_path / "s.json").check_once() is True
    assert given.starts == 0
    assert read_status(tmp_path / "s.json") == {}
