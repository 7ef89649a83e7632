"""When a failed delivery is tried again (pure): exponential backoff with jitter, for a
retry window (a day by default), then the delivery is failed; and which due deliveries
the dispatcher takes next."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class RetryPolicy:
    first_delay_seconds: float = 5.0
    max_delay_seconds: float = 3600.0
    window_seconds: float = 24 * 3600.0
    # each delay is drawn from [delay * (1 - jitter), delay]
    jitter: float = 0.3

    def delay(self, attempts: int, draw: Callable[[], float]) -> timedelta:
        """The wait after the `attempts`-th failed attempt (1 for the first)."""
        ceiling = min(self.max_delay_seconds, self.first_delay_seconds * 2 ** (attempts - 1))
        return timedelta(seconds=ceiling * (1 - self.jitter * draw()))

    def next_attempt(
        self, attempts: int, started: datetime, now: datetime, draw: Callable[[], float]
    ) -> datetime | None:
        """When to try again, or None: the window is over, the delivery has failed."""
        at = now + self.delay(attempts, draw)
        if at > started + timedelta(seconds=self.window_seconds):
            return None
        return at


def fair_pick(
    due: Sequence[Mapping[str, Any]], in_flight: Mapping[str, int], per_endpoint: int, room: int
) -> list[Mapping[str, Any]]:
    """Up to `room` of the due records, taking one per tenant in turn and never more at
    once for an endpoint than `per_endpoint`: a tenant with a backlog (or a slow endpoint)
    gets its turn like any other, not the whole dispatcher."""
    queues: dict[str, deque[Mapping[str, Any]]] = {}
    for record in due:
        queues.setdefault(record["tenant_id"], deque()).append(record)
    taken: dict[str, int] = dict(in_flight)
    picked: list[Mapping[str, Any]] = []
    while queues and len(picked) < room:
        for tenant_id in list(queues):
            queue = queues[tenant_id]
            while queue and taken.get(queue[0]["endpoint_id"], 0) >= per_endpoint:
                queue.popleft()
            if not queue:
                del queues[tenant_id]
                continue
            record = queue.popleft()
            taken[record["endpoint_id"]] = taken.get(record["endpoint_id"], 0) + 1
            picked.append(record)
            if len(picked) == room:
                break
    return picked
