"""What replicating the event stream costs its publishers: acknowledged publishes per
second to the stream `LOYALTY` on one nats-server (R1) and on a three-node cluster on
loopback (R3, libs/stack/cluster.py), publishing as the outbox relay does (a batch at a
time, each message with its `Nats-Msg-Id`, the next batch once every ack is in), and one
at a time (each publish waits for its ack: the latency a lone event sees).

    .venv/bin/python -m bench.stream_replicas [messages] [batch] [rounds]   # 20000 100 5

Both run side by side and are measured in turn, round after round; the medians are
compared.

Every node of the cluster runs on this machine, so the figures show the replication's
own cost (the leader waits for a follower's write before it acks) and not a network's;
docs/scaling.md keeps the run's figures.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from uuid import uuid4

import nats
from nats.errors import Error as NatsError
from nats.js import JetStreamContext

from libs.nats import STREAM_NAME, ensure_stream, server_urls
from libs.stack.cluster import nats_cluster
from libs.stack.handle import ServerHandle
from libs.stack.nats_auth import NatsUsers
from libs.stack.servers import free_port, nats_server

PAYLOAD = os.urandom(480)  # about the average event's size (docs/scaling.md)
SUBJECT = "loyalty.bench.points.earned"
ALONE = 500  # publishes timed one at a time
TIMEOUT = 60.0
Figures = tuple[float, float]  # publishes/s in batches, median ms of one alone


async def stream_ready(js: JetStreamContext, replicas: int) -> None:
    """The stream, once the cluster has elected the leaders that make it."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            await ensure_stream(js, replicas)
            return
        except NatsError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(1.0)


async def publish(url: str, replicas: int, messages: int, batch: int) -> Figures:
    """Publishes/s in batches of `batch`, and the median ms of one publish alone."""
    client = await nats.connect(server_urls(url))
    try:
        js = client.jetstream(timeout=10)
        await stream_ready(js, replicas)
        await js.purge_stream(STREAM_NAME)
        started = time.perf_counter()
        for _ in range(0, messages, batch):
            await asyncio.gather(
                *(
                    js.publish(SUBJECT, PAYLOAD, headers={"Nats-Msg-Id": uuid4().hex})
                    for _ in range(batch)
                )
            )
        rate = messages / (time.perf_counter() - started)
        alone = []
        for _ in range(ALONE):
            began = time.perf_counter()
            await js.publish(SUBJECT, PAYLOAD, headers={"Nats-Msg-Id": uuid4().hex})
            alone.append((time.perf_counter() - began) * 1000)
        return rate, statistics.median(alone)
    finally:
        await client.close()


def started(handles: list[ServerHandle]) -> None:
    for handle in handles:
        handle.launch()
    for handle in handles:
        handle.wait_ready()


def measure(root: Path, messages: int, batch: int, rounds: int) -> dict[str, list[Figures]]:
    """Both set-ups up at once, measured in turn `rounds` times (the machine's other work
    then weighs on both alike)."""
    users = NatsUsers()
    with (root / "nats.log").open("w", encoding="utf-8") as log:
        single = nats_server(
            root / "single" / "nats", free_port(), free_port(), sink=log, timeout=TIMEOUT
        )
        cluster = list(nats_cluster(root / "cluster", users, sink=log, timeout=TIMEOUT).values())
        setups = {"R1": ([single], 1), "R3": (cluster, 3)}
        figures: dict[str, list[Figures]] = {label: [] for label in setups}
        try:
            started([single, *cluster])
            for _ in range(rounds):
                for label, (handles, replicas) in setups.items():
                    url = ",".join(handle.url for handle in handles)
                    figures[label].append(asyncio.run(publish(url, replicas, messages, batch)))
        finally:
            for handle in [single, *cluster]:
                handle.stop()
        return figures


def main(argv: list[str]) -> None:
    messages = int(argv[0]) if argv else 20_000
    batch = int(argv[1]) if len(argv) > 1 else 100
    rounds = int(argv[2]) if len(argv) > 2 else 5
    lines = [f"load average at the start: {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores"]
    with tempfile.TemporaryDirectory(prefix="stream-replicas-") as root:
        figures = measure(Path(root), messages, batch, rounds)
    medians = {}
    for label, runs in figures.items():
        rates = [rate for rate, _ in runs]
        medians[label] = statistics.median(rates)
        alone = statistics.median(ms for _, ms in runs)
        lines.append(
            f"{label}: median {medians[label]:,.0f} publishes/s in batches of {batch} "
            f"(rounds: {', '.join(f'{r:,.0f}' for r in rates)}); one alone {alone:.2f} ms"
        )
    lines.append(f"R3 / R1: {medians['R3'] / medians['R1']:.2f}")
    lines.append(f"load average at the end: {os.getloadavg()[0]:.2f}")
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
