"""The requests each scenario sends through the gateway, as the tills and apps send them."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from bench.dataset.population import CATEGORIES, HOUSE_MEMBERS, STORES, phone_of
from bench.lean_http import Answer, LeanClient

# Share of purchases that name the member by a phone number instead of the member id.
BY_IDENTITY = 0.3
# Share of redemption holds aimed at the few house members (the rest spread out).
CONTENDED = 0.5


def outcome(response: Answer) -> str | None:
    """None for a 2xx answer; otherwise the status and, for problems, their code."""
    if response.is_success:
        return None
    code = ""
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        code = str(response.json().get("code", ""))
    return f"http_{response.status}" + (f"_{code}" if code else "")


@dataclass(frozen=True)
class Audience:
    member_ids: list[str]
    # indexes of ordinary members whose lots are current (they can redeem a point)
    funded: list[int]
    pos_key: str
    run_id: str


def an_order(audience: Audience, index: int, rng: random.Random, order_id: str) -> dict[str, Any]:
    lines: list[dict[str, Any]] = []
    total = Decimal(0)
    for _ in range(rng.randint(1, 3)):
        price = Decimal(rng.randrange(20, 400))
        total += price
        lines.append(
            {
                "sku": f"SKU-{rng.randrange(500):03}",
                "category": rng.choice(CATEGORIES),
                "quantity": 1,
                "unit_price": str(price),
            }
        )
    who: dict[str, Any] = {"member_id": audience.member_ids[index]}
    if rng.random() < BY_IDENTITY:
        who = {"identity": {"type": "phone", "value": phone_of(index)}}
    return {
        "order_id": order_id,
        **who,
        "channel": "pos",
        "store_id": rng.choice(STORES),
        "occurred_at": (datetime.now(UTC) - timedelta(seconds=1)).isoformat(),
        "currency": "CNY",
        "total": str(total),
        "lines": lines,
    }


class PlatformCalls:
    """Calls through the gateway with the POS key the client sends."""

    def __init__(self, http: LeanClient, audience: Audience, seed: int = 7) -> None:
        self._http = http
        self._audience = audience
        self._rng = random.Random(seed)
        self._orders = itertools.count()
        self._redemptions = itertools.count()
        # purchases answered without their campaign bonus (evaluation past its deadline)
        self.bonus_pending = 0

    def _member(self) -> int:
        return self._rng.randrange(len(self._audience.member_ids))

    async def purchase(self, i: int) -> str | None:
        order_id = f"B-{self._audience.run_id}-{next(self._orders)}"
        body = an_order(self._audience, self._member(), self._rng, order_id)
        # every POST carries an Idempotency-Key, as docs/pos-integration.md tells a till
        answer = await self._http.post("/v1/orders", body, {"Idempotency-Key": order_id})
        if answer.is_success and b'"bonus_pending":true' in answer.body:
            self.bonus_pending += 1
        return outcome(answer)

    async def balance(self, i: int) -> str | None:
        member_id = self._audience.member_ids[self._member()]
        path = f"/v1/members/{member_id}/points"
        return outcome(await self._http.get(path))

    async def _redeem(self, index: int, capture: bool) -> str | None:
        body = {
            "member_id": self._audience.member_ids[index],
            "points": 1,
            "channel": "pos",
            "store_id": "S001",
            "hold_seconds": 60,
            "capture": capture,
        }
        key = f"R-{self._audience.run_id}-{next(self._redemptions)}"
        return outcome(await self._http.post("/v1/redemptions", body, {"Idempotency-Key": key}))

    async def contended_hold(self, i: int) -> str | None:
        if self._rng.random() < CONTENDED:
            return await self._redeem(self._rng.randrange(HOUSE_MEMBERS), capture=False)
        return await self._redeem(self._rng.choice(self._audience.funded), capture=False)

    async def mixed(self, i: int) -> str | None:
        """60 % balance reads, 30 % purchases, 10 % redemptions (captured at once)."""
        draw = self._rng.random()
        if draw < 0.6:
            return await self.balance(i)
        if draw < 0.9:
            return await self.purchase(i)
        return await self._redeem(self._rng.choice(self._audience.funded), capture=True)
