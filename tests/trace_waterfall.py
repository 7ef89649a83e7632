"""Trace one purchase through the running platform and print it as a text waterfall.

    python -m tests.trace_waterfall [--write docs/operations.md]

Starts the whole platform on free ports with every process exporting its spans over
OTLP/HTTP to a receiver of its own (tests/support/otlp_receiver.py), enrols a member of
the demo tenant, sends one purchase from its till, waits until the consumers of the
purchase's event have reported, and prints the purchase's trace: each span indented under
its parent, its start after the request's and its duration. With `--write`, the trace
replaces the one between the markers in that file.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from pathlib import Path

import httpx

from libs.stack.platform import Stack
from tests.e2e.gateway_support import an_order, enrol, key
from tests.support.environ import hermetic_environ
from tests.support.otlp_receiver import OtlpReceiver, ReceivedSpan

REQUEST = "POST /v1/orders"
MARKERS = ("<!-- trace: python -m tests.trace_waterfall", "<!-- end of the trace -->")
WAIT_SECONDS = 30.0
QUIET_SECONDS = 6.0  # past the exporters' 5 s batch delay, once the consumers have reported
NAME_WIDTH = 58


def short(name: str) -> str:
    """`/loyalty.points.v1.PointsService/AccrueOrder` as `PointsService/AccrueOrder`."""
    return re.sub(r"^/loyalty\.[a-z]+\.v1\.", "", name)


def waterfall(spans: list[ReceivedSpan]) -> list[str]:
    """The trace of the first purchase among `spans`, one line per span, parents first,
    children by start; the request's own HTTP send/receive spans are left out."""
    root = min((s for s in spans if s.name == REQUEST and s.kind == "server"), key=_start)
    trace = [s for s in spans if s.trace_id == root.trace_id and s.kind != "internal"]
    children: dict[str, list[ReceivedSpan]] = {}
    for span in trace:
        children.setdefault(span.parent_id, []).append(span)
    lines: list[str] = []

    def draw(span: ReceivedSpan, depth: int) -> None:
        label = f"{'  ' * depth}{short(span.name)} [{span.kind}]"
        offset = (span.start_ns - root.start_ns) / 1e6
        took = (span.end_ns - span.start_ns) / 1e6
        lines.append(f"{label:<{NAME_WIDTH}} {offset:+8.1f} ms {took:8.1f} ms")
        for child in sorted(children.get(span.span_id, []), key=_start):
            draw(child, depth + 1)

    draw(root, 0)
    return lines


def _start(span: ReceivedSpan) -> int:
    return span.start_ns


def _consumed(spans: list[ReceivedSpan]) -> bool:
    roots = {s.trace_id for s in spans if s.name == REQUEST and s.kind == "server"}
    return any(s.kind == "consumer" and s.trace_id in roots for s in spans)


async def purchase(stack: Stack) -> None:
    pos = key(stack, "demo", "pos")
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as http:
        member_id = await enrol(http, pos)
        await asyncio.sleep(QUIET_SECONDS)  # the enrolment's spans leave first
        bought = await http.post("/v1/orders", json=an_order(member_id), headers=pos)
        assert bought.status_code == 201, bought.text


def traced_purchase() -> list[str]:
    with (
        OtlpReceiver() as receiver,
        tempfile.TemporaryDirectory(prefix="trace-") as root,
        (Path(root) / "stack.log").open("w", encoding="utf-8") as log,
    ):
        env = {**hermetic_environ(), "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint}
        with Stack(Path(root), free_ports=True, env=env, log_sink=log) as stack:
            asyncio.run(purchase(stack))
            deadline = time.monotonic() + WAIT_SECONDS
            while not _consumed(receiver.spans()) and time.monotonic() < deadline:
                time.sleep(0.5)
            time.sleep(QUIET_SECONDS)  # the other consumers' batches
        return waterfall(receiver.spans())


def write_into(path: Path, lines: list[str]) -> None:
    text = path.read_text(encoding="utf-8")
    start, end = text.index(MARKERS[0]), text.index(MARKERS[1])
    head = text[start : text.index("\n", start) + 1]
    block = head + "```text\n" + "\n".join(lines) + "\n```\n"
    path.write_text(text[:start] + block + text[end:], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="the document whose trace to replace")
    args = parser.parse_args()
    lines = traced_purchase()
    if args.write:
        write_into(args.write, lines)
    else:
        sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
