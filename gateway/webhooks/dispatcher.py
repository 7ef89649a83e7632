"""Sends due delivery records to their endpoints: a server worker, apart from the stream
consumer (which only records), so a slow receiver holds up neither the stream nor other
endpoints.

Each attempt has a timeout; an endpoint has at most `per_endpoint` attempts in flight
across every gateway process (a slot of `EndpointSlots` per attempt, and this process's
own count besides), the dispatcher `in_flight` in all (per process: it protects the
process), and due records are taken one tenant at a time (`fair_pick`). The host is
resolved and checked before each attempt (no private addresses), redirects are not
followed, and the answer's body is never read.
"""

from __future__ import annotations

import asyncio
import random
import socket
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from gateway.webhooks.addresses import refused_address
from gateway.webhooks.deliveries import DELIVERED, FAILED, PENDING, DeliveryStore
from gateway.webhooks.endpoints import EndpointStore
from gateway.webhooks.schedule import RetryPolicy, fair_pick
from gateway.webhooks.signing import signed_headers
from gateway.webhooks.slots import EndpointSlots, Slot
from libs.clock import utc_now
from libs.logging import get_logger
from libs.mongo import Doc
from libs.workers import WorkerLoop

log = get_logger(__name__)
RESOLVE_SECONDS = 5.0
# An endpoint slot outlives the attempt it is taken for (claim, endpoint read, resolution,
# request) by this much at least: only a process that died leaves one to its lease.
SLOT_MARGIN_SECONDS = 10.0


@dataclass(frozen=True)
class DispatchLimits:
    timeout_seconds: float = 10.0
    per_endpoint: int = 4
    in_flight: int = 64
    poll_seconds: float = 0.5
    loopback_allowed: bool = False
    slot_margin_seconds: float = SLOT_MARGIN_SECONDS

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.timeout_seconds + RESOLVE_SECONDS + 30)

    @property
    def slot_lease_seconds(self) -> float:
        """How long an endpoint slot is held at most: a dead process's come back then."""
        return self.timeout_seconds + RESOLVE_SECONDS + self.slot_margin_seconds


class Dispatcher(WorkerLoop):
    def __init__(
        self,
        endpoints: EndpointStore,
        deliveries: DeliveryStore,
        client: httpx.AsyncClient,
        slots: EndpointSlots,
        *,
        limits: DispatchLimits,
        policy: RetryPolicy,
        draw: Callable[[], float] = random.random,
    ) -> None:
        super().__init__()
        self._endpoints = endpoints
        self._deliveries = deliveries
        self._client = client
        self._slots = slots
        self._limits = limits
        self._policy = policy
        self._draw = draw
        self._in_flight: Counter[str] = Counter()
        self._tasks: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        while not self.stopping:
            if len(self._tasks) >= self._limits.in_flight:
                await asyncio.wait(
                    self._tasks, timeout=self._limits.poll_seconds, return_when="FIRST_COMPLETED"
                )
                continue
            try:
                started = await self._start_due()
            except Exception as exc:  # the database away: try again shortly
                log.warning("webhook_dispatch_deferred", error=repr(exc))
                started = 0
            if not started:
                await self.pause(self._limits.poll_seconds)
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=self._limits.timeout_seconds)

    async def _start_due(self) -> int:
        limits = self._limits
        room = limits.in_flight - len(self._tasks)
        busy = [e for e, n in self._in_flight.items() if n >= limits.per_endpoint]
        busy.extend(self._slots.full_elsewhere())
        now = utc_now()
        due = await self._deliveries.due(now, busy, limit=max(4 * room, 50))
        started = 0
        for record in fair_pick(due, self._in_flight, limits.per_endpoint, room):
            slot = await self._slots.take(record["endpoint_id"])
            if slot is None:  # its slots are all taken, by other processes too
                continue
            try:
                claimed = await self._deliveries.claim(record["_id"], now, limits.lease)
            except Exception:
                await self._slots.give_back(slot)
                raise
            if claimed is None:
                await self._slots.give_back(slot)
                continue
            self._in_flight[claimed["endpoint_id"]] += 1
            task = asyncio.create_task(self._attempt(claimed, slot))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            started += 1
        return started

    async def _attempt(self, record: Doc, slot: Slot) -> None:
        try:
            try:
                attempt = await self._send(record)
            finally:
                await self._slots.give_back(slot)
            await self._settle(record, attempt)
        except Exception:  # left `delivering`: tried again when its lease is over
            log.exception("webhook_attempt_failed", delivery=record["_id"])
        finally:
            self._in_flight[record["endpoint_id"]] -= 1
            if self._in_flight[record["endpoint_id"]] <= 0:
                del self._in_flight[record["endpoint_id"]]

    async def _send(self, record: Doc) -> dict[str, Any]:
        now = utc_now()
        endpoint = await self._endpoints.get(record["tenant_id"], record["endpoint_id"])
        if endpoint is None or not endpoint.enabled:
            return {"at": now, "error": "endpoint_disabled", "final": True}
        if await self._refused(endpoint.url):
            return {"at": now, "error": "address_refused"}
        body = record["body"].encode()
        headers = signed_headers(
            endpoint.signing_secrets(now), record["_id"], int(now.timestamp()), body
        )
        timeout = self._limits.timeout_seconds
        try:
            request = self._client.stream(
                "POST", endpoint.url, content=body, headers=headers, timeout=timeout
            )
            # httpx's timeout bounds each read and write; this bounds the whole attempt
            async with asyncio.timeout(timeout), request as response:
                code = response.status_code
        except (httpx.TimeoutException, TimeoutError):
            return {"at": now, "error": "timeout"}
        except httpx.HTTPError:
            return {"at": now, "error": "connection_failed"}
        error = None if 200 <= code < 300 else f"status_{code}"
        return {"at": now, "status_code": code, "error": error, "ok": error is None}

    async def _refused(self, url: str) -> bool:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        loop = asyncio.get_running_loop()
        try:
            found = await asyncio.wait_for(
                loop.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM), RESOLVE_SECONDS
            )
        except (OSError, TimeoutError):
            return False  # the attempt itself then fails to connect
        allowed = self._limits.loopback_allowed
        return any(refused_address(str(info[4][0]), loopback_allowed=allowed) for info in found)

    async def _settle(self, record: Doc, attempt: dict[str, Any]) -> None:
        final = attempt.pop("final", False)
        if attempt.pop("ok", False):
            await self._deliveries.settle(record["_id"], attempt, status=DELIVERED, next_at=None)
            return
        attempts = int(record.get("attempts", 0)) + 1
        next_at = (
            None
            if final
            else self._policy.next_attempt(
                attempts, record["window_start"], attempt["at"], self._draw
            )
        )
        status = PENDING if next_at is not None else FAILED
        await self._deliveries.settle(record["_id"], attempt, status=status, next_at=next_at)
        log.info("webhook_attempt_unsuccessful", delivery=record["_id"], error=attempt["error"])
