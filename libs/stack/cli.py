"""`python -m libs.stack run|servers`: the platform (or its servers) in the foreground.

Ctrl-C or SIGTERM stops everything in order and exits 0. A part that fails to start,
or dies while running, is named with its exit code and last log lines; everything else
is then stopped and the launcher exits 1.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import TextIO

from libs.stack.apps import REPO_ROOT
from libs.stack.errors import StackStartError, failure_report
from libs.stack.handle import ServerHandle
from libs.stack.output import is_tty, line_prefix, write_to
from libs.stack.platform import Stack
from libs.stack.servers import Servers
from libs.stack.summary import platform_summary, servers_lines

logger = logging.getLogger("libs.stack")
POLL_SECONDS = 1.0


class StopRequested(Exception):
    """SIGINT or SIGTERM arrived while the stack was still starting."""


class StopSignals:
    """Turns the first SIGINT/SIGTERM into a stop; later ones are ignored while stopping.

    While starting, the signal interrupts the start (raising StopRequested) so the
    context manager stops what was started. Once up, it only sets `requested`.
    """

    def __init__(self) -> None:
        self.requested = threading.Event()
        self.interrupt = True

    def install(self) -> None:
        signal.signal(signal.SIGINT, self._handle)
        signal.signal(signal.SIGTERM, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.requested.is_set():
            logger.info("already stopping; please wait")
            return
        self.requested.set()
        logger.info("%s received; stopping", signal.Signals(signum).name)
        if self.interrupt:
            raise StopRequested


class SinkHandler(logging.Handler):
    def __init__(self, sink: TextIO) -> None:
        super().__init__()
        self.sink = sink
        self.prefix = line_prefix("stack", colour=is_tty(sink))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            write_to(self.sink, f"{self.prefix}{self.format(record)}\n")
        except (OSError, ValueError):
            self.handleError(record)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m libs.stack", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("run", "start the servers, services and gateway, seed the demo tenants"),
        ("servers", "start only MongoDB, Redis and NATS"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument(
            "--var-dir",
            type=Path,
            default=REPO_ROOT / "var",
            help="where server data and dev-credentials.json live (default: %(default)s)",
        )
        command.add_argument(
            "--free-ports", action="store_true", help="pick free ports instead of the defaults"
        )
    return parser.parse_args(argv)


def run_platform(args: argparse.Namespace, stop: StopSignals, sink: TextIO) -> int:
    # A newcomer's platform shows campaigns with results; the tests' stacks start empty.
    with Stack(
        args.var_dir, free_ports=args.free_ports, env=os.environ, log_sink=sink, demo_history=True
    ) as stack:
        stop.interrupt = False
        summary = platform_summary(
            stack.gateway_url, stack.credentials, stack.credentials_path, stack.urls
        )
        write_to(sink, summary)
        return supervise(stack.exited, stop)


def run_servers(args: argparse.Namespace, stop: StopSignals, sink: TextIO) -> int:
    servers = Servers(args.var_dir, free_ports=args.free_ports, env=os.environ, log_sink=sink)
    with servers:
        stop.interrupt = False
        write_to(sink, "\n".join(["", *servers_lines(servers.urls), "", "Ctrl-C stops them.", ""]))
        return supervise(servers.exited, stop)


def supervise(exited: Callable[[], list[ServerHandle]], stop: StopSignals) -> int:
    """Stay in the foreground until a stop signal (0) or a part dies on its own (1)."""
    while not stop.requested.wait(POLL_SECONDS):
        if dead := exited():
            stop.requested.set()
            for handle in dead:
                assert handle.process is not None
                code = handle.process.returncode
                headline = f"{handle.name} exited with code {code} while running; stopping"
                logger.error(
                    "%s", failure_report(handle.name, headline, handle.process.last_lines())
                )
            return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sink = sys.stdout
    handler = SinkHandler(sink)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    stop = StopSignals()
    stop.install()
    try:
        if args.command == "servers":
            return run_servers(args, stop, sink)
        return run_platform(args, stop, sink)
    except StopRequested:
        return 0
    except StackStartError as error:
        stop.requested.set()
        logger.error("%s", error.describe())
        return 1
    finally:
        logger.info("stopped")
