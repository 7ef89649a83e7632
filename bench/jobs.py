"""Background work the mixed day runs beside its traffic: segment refreshes, through the
operators' API, as a marketer editing an audience would cause them."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

SEGMENT_RULES: tuple[dict[str, Any], ...] = (
    {"marketing_consent": True, "recency_days": 30},
    {"marketing_consent": True, "recency_days": 90, "channels": ["pos"]},
)


@dataclass
class SegmentRefresher:
    """Replaces one segment's rules every `every` seconds; each replacement works its
    membership out again over the tenant's members."""

    http: httpx.AsyncClient
    every: float = 5.0
    refreshes: list[float] = field(default_factory=list)  # seconds each took
    errors: int = 0
    _segment: str = ""

    async def create(self) -> None:
        made = await self.http.post(
            "/v1/admin/segments", json={"name": "Mixed-day regulars", "rules": SEGMENT_RULES[0]}
        )
        made.raise_for_status()
        self._segment = str(made.json()["segment_id"])

    async def run(self, stop: asyncio.Event) -> None:
        turn = 0
        while not stop.is_set():
            turn += 1
            started = time.perf_counter()
            body = {"name": "Mixed-day regulars", "rules": SEGMENT_RULES[turn % 2]}
            answer = await self.http.put(f"/v1/admin/segments/{self._segment}", json=body)
            if answer.is_success:
                self.refreshes.append(time.perf_counter() - started)
            else:
                self.errors += 1
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.every)
            except TimeoutError:
                continue

    def as_dict(self) -> dict[str, Any]:
        slowest = max(self.refreshes, default=0.0)
        return {"refreshes": len(self.refreshes), "errors": self.errors, "slowest_s": slowest}
