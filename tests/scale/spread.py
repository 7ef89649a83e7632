"""The load spread over every gateway, and the consumers' work counted per replica.

`Spread` is an httpx transport that sends each request to the next gateway in turn, as
a load balancer would. `ConsumerWork` adds up, per replica and durable consumer, the
events each process acknowledged (`event_consumer_handled_total`): it reads every
process's `/metrics` each time a part is back, keeping what each process had counted
before it was killed (a restarted process counts from zero again).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

import httpx
import nats
from nats.js.errors import NotFoundError

from libs.nats import STREAM_NAME, server_urls
from libs.stack.cluster import ClusterStack
from tests.support.prometheus import parse

HANDLED = "event_consumer_handled_total"
CONSUMING = ("member", "campaign", "analytics", "gateway")
"""The parts whose durable consumers the load feeds (points consumes merges and
erasures only, which the load makes none of)."""


class Spread(httpx.AsyncBaseTransport):
    """Each request to the next of `urls` in turn (their scheme, host and port)."""

    def __init__(self, urls: list[str]) -> None:
        self._targets = itertools.cycle([httpx.URL(url) for url in urls])
        self._transport = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        target = next(self._targets)
        request.url = request.url.copy_with(host=target.host, port=target.port)
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        await self._transport.aclose()


def replicas_of(stack: ClusterStack, part: str) -> list[str]:
    """`points` and `points-2`, say."""
    return [name for name in stack.apps if name.partition("-")[0] == part]


def metrics_url(stack: ClusterStack, name: str) -> str:
    handle = stack.apps[name]
    if name.startswith("gateway"):
        return f"{handle.url}/metrics"
    return f"http://127.0.0.1:{(handle.env or {})['METRICS_PORT']}/metrics"


@dataclass
class ConsumerWork:
    """Events acknowledged, by (replica, durable), summed over each replica's lives."""

    # (replica, pid, durable) -> the highest count read from that process
    seen: dict[tuple[str, int, str], float] = field(default_factory=dict)

    async def read(self, stack: ClusterStack) -> None:
        async with httpx.AsyncClient(timeout=10) as http:
            for part in CONSUMING:
                for name in replicas_of(stack, part):
                    pid = stack.apps[name].pid
                    try:
                        answer = await http.get(metrics_url(stack, name))
                    except httpx.HTTPError:
                        continue  # down at this moment: its earlier count stands
                    if pid is None or answer.status_code != 200:
                        continue
                    for (metric, labels), value in parse(answer.text).items():
                        found = dict(labels)
                        if metric == HANDLED and found.get("outcome") == "acked":
                            key = (name, pid, found["durable"])
                            self.seen[key] = max(self.seen.get(key, 0.0), value)

    def by_durable(self) -> dict[str, dict[str, int]]:
        """durable -> replica -> events it acknowledged."""
        totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for (name, _, durable), value in self.seen.items():
            totals[durable][name] += int(value)
        return {durable: dict(counts) for durable, counts in totals.items()}


@dataclass(frozen=True)
class Backlog:
    """A durable consumer's events not yet delivered, and delivered but not acked."""

    pending: int
    unacked: int
    redelivered: int


async def backlogs(nats_url: str, durables: list[str]) -> dict[str, Backlog]:
    client = await nats.connect(server_urls(nats_url))
    try:
        js = client.jetstream()
        found = {}
        for durable in durables:
            try:
                info = await js.consumer_info(STREAM_NAME, durable)
            except NotFoundError:
                continue
            found[durable] = Backlog(
                info.num_pending or 0, info.num_ack_pending or 0, info.num_redelivered or 0
            )
        return found
    finally:
        await client.close()
