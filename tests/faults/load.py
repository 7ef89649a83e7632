"""A steady stream of purchases and redemptions, and what the client saw of each request.

Requests start on a fixed beat whatever happens to earlier ones (open loop, bounded by a
cap on requests in flight), so a part that is down meets the traffic a till would send.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import httpx

from tests.faults.campaigns import BONUS_SHARE, BONUS_SKU

SHANGHAI = timezone(timedelta(hours=8))
PROBLEM_JSON = "application/problem+json"
HOLD_SECONDS = 30  # the shortest hold the gateway accepts, so abandoned ones expire soon
HOLD_POINTS = 5


@dataclass
class Outcome:
    """One request as the client saw it: an answer, a broken connection, or no answer."""

    kind: str  # purchase, hold or capture
    member_id: str
    started: float  # time.monotonic()
    elapsed: float
    status: int | None = None  # None: no HTTP answer
    body: dict[str, Any] = field(default_factory=dict)
    content_type: str = ""
    retry_after: str = ""  # the answer's Retry-After, if any
    error: str = ""  # the transport error's class when no answer came
    timed_out: bool = False

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class Purchase:
    """An order sent to `POST /v1/orders`: its body and every attempt, first to last."""

    body: dict[str, Any]
    attempts: list[Outcome] = field(default_factory=list)

    @property
    def order_id(self) -> str:
        return str(self.body["order_id"])

    @property
    def member_id(self) -> str:
        return str(self.body["member_id"])


# Every request `send` made in this process, in the order sent: a failed run's report
# counts what they got in each of its stages (tests/faults/stages.py).
SENT: list[Outcome] = []


def an_order(member_id: str, sku: str = "TEE-1") -> dict[str, Any]:
    """A 100.00 purchase at store S001 just now: 100 base points in the sandbox tenant
    (and the campaigns' bonuses, with the bonus SKU)."""
    return {
        "order_id": f"FAULT-{uuid4().hex}",
        "member_id": member_id,
        "channel": "pos",
        "store_id": "S001",
        "occurred_at": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
        "currency": "CNY",
        "total": "100.00",
        "lines": [{"sku": sku, "category": "apparel", "quantity": 1, "unit_price": "100.00"}],
    }


async def send(
    http: httpx.AsyncClient, kind: str, member_id: str, path: str, body: dict[str, Any] | None
) -> Outcome:
    """POST and record what came back, however it went."""
    started = time.monotonic()
    outcome = Outcome(kind, member_id, started, 0.0)
    SENT.append(outcome)
    try:
        answer = await http.post(path, json=body)
    except httpx.TimeoutException as error:
        outcome.timed_out, outcome.error = True, type(error).__name__
    except httpx.TransportError as error:
        outcome.error = type(error).__name__
    else:
        outcome.status = answer.status_code
        outcome.content_type = answer.headers.get("content-type", "")
        outcome.retry_after = answer.headers.get("retry-after", "")
        try:
            outcome.body = answer.json()
        except ValueError:
            outcome.body = {}
    outcome.elapsed = time.monotonic() - started
    return outcome


class LoadDriver:
    """Purchases and hold-then-capture redemptions for a pool of members, on a beat.

    Of the holds, one in three is left uncaptured on purpose: the platform must release
    it when it expires.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        members: list[str],
        *,
        per_second: float = 8.0,
        purchase_share: float = 0.7,
        max_in_flight: int = 32,
    ) -> None:
        self._http = http
        self._members = members
        self._interval = 1.0 / per_second
        self._purchase_share = purchase_share
        self._slots = asyncio.Semaphore(max_in_flight)
        self._random = random.Random(7)
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopping = asyncio.Event()
        self.purchases: list[Purchase] = []
        self.redemptions: list[Outcome] = []
        self.last_hold_at = 0.0

    async def run(self) -> None:
        """Start requests on the beat until `stop()`, then wait for those in flight."""
        while not self._stopping.is_set():
            await self._slots.acquire()
            self._spawn(self._one()).add_done_callback(lambda _: self._slots.release())
            await asyncio.sleep(self._interval)
        await asyncio.gather(*self._tasks)

    def burst(self, count: int) -> None:
        """Start `count` purchases at once (of different members), beside the beat, so
        that a kill right after finds some of them half done."""
        for member_id in self._random.sample(self._members, count):
            self._spawn(self._purchase(member_id))

    def stop(self) -> None:
        self._stopping.set()

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    @property
    def outcomes(self) -> list[Outcome]:
        """Every request sent, purchases' first attempts and redemptions' steps."""
        return [p.attempts[0] for p in self.purchases if p.attempts] + self.redemptions

    async def _one(self) -> None:
        member_id = self._random.choice(self._members)
        if self._random.random() < self._purchase_share:
            await self._purchase(member_id)
        else:
            await self._redeem(member_id, capture=self._random.random() < 2 / 3)

    async def _purchase(self, member_id: str) -> None:
        bonus = self._random.random() < BONUS_SHARE
        purchase = Purchase(an_order(member_id, BONUS_SKU if bonus else "TEE-1"))
        self.purchases.append(purchase)
        purchase.attempts.append(
            await send(self._http, "purchase", member_id, "/v1/orders", purchase.body)
        )

    async def _redeem(self, member_id: str, *, capture: bool) -> None:
        body = {
            "member_id": member_id,
            "points": HOLD_POINTS,
            "store_id": "S001",
            "hold_seconds": HOLD_SECONDS,
        }
        self.last_hold_at = time.monotonic()
        held = await send(self._http, "hold", member_id, "/v1/redemptions", body)
        self.redemptions.append(held)
        if capture and held.status == 201:
            path = f"/v1/redemptions/{held.body['redemption_id']}/capture"
            self.redemptions.append(await send(self._http, "capture", member_id, path, None))
