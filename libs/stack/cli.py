"""`python -m libs.stack run|servers`: the platform (or its servers) in the foreground.

Ctrl-C or SIGTERM stops everything in order and exits 0. A part that fails to start is
named with its exit code and last log lines; everything else is then stopped and the
launcher exits 1. A part that dies while running is started again in place (see
`supervisor.py`); one that keeps failing is given up on, and the launcher then stops
everything in order and exits 1.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from libs.stack.apps import REPO_ROOT
from libs.stack.errors import StackStartError
from libs.stack.handle import ServerHandle
from libs.stack.mongo_auth import USERS_FILE, MongoUsers
from libs.stack.output import is_tty, line_prefix, write_to
from libs.stack.platform import STATUS_FILE, Stack
from libs.stack.policy import RestartPolicy
from libs.stack.servers import Servers
from libs.stack.signals import StopRequested, StopSignals
from libs.stack.summary import platform_summary, servers_lines
from libs.stack.supervisor import Supervisor

logger = logging.getLogger("libs.stack")


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
        command.add_argument(
            "--max-failures",
            type=int,
            default=RestartPolicy.max_failures,
            help="give up on a part that dies this many times (default: %(default)s)",
        )
        command.add_argument(
            "--failure-window",
            type=float,
            default=RestartPolicy.window_seconds,
            help="... within this many seconds (default: %(default)s)",
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
        return supervise(stack.handles, stop, args, stack.status_path, (sink, summary))


def run_servers(args: argparse.Namespace, stop: StopSignals, sink: TextIO) -> int:
    # The same MongoDB users as `run`, so the data `run` keeps never runs without them.
    users = MongoUsers.kept(args.var_dir / USERS_FILE)
    servers = Servers(
        args.var_dir, free_ports=args.free_ports, env=os.environ, log_sink=sink, mongo_users=users
    )
    with servers:
        stop.interrupt = False
        lines = servers_lines(servers.urls)
        if servers.mongo_users is not None:
            lines.append(f"    MongoDB users' passwords: {users.path}")
        summary = "\n".join(["", *lines, "", "Ctrl-C stops them.", ""])
        return supervise(servers.handles, stop, args, args.var_dir / STATUS_FILE, (sink, summary))


def supervise(
    handles: Mapping[str, ServerHandle],
    stop: StopSignals,
    args: argparse.Namespace,
    status_file: Path,
    summary: tuple[TextIO, str],
) -> int:
    """Say the stack is up, then restart parts that die until a stop (0) or a give-up (1)."""
    policy = RestartPolicy(max_failures=args.max_failures, window_seconds=args.failure_window)
    supervisor = Supervisor(handles, stop, policy=policy, status_file=status_file)
    supervisor.publish()  # before the summary, so whoever reads it finds the status file
    write_to(*summary)
    code = supervisor.run()
    stop.requested.set()
    return code


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
