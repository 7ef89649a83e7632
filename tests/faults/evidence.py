"""What the platform holds after the faults: ledgers, balances, the stream, the outboxes."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import httpx
import nats
from google.protobuf.message import Message
from pymongo import AsyncMongoClient

from libs.nats import server_urls
from libs.outbox import COLLECTION as OUTBOX
from libs.tests.integration.support import messages_on
from loyalty.points.v1 import events_pb2

SERVICE_DATABASES = ("loyalty_member", "loyalty_points", "loyalty_campaign")
LEDGER_PAGE = 200
REDEMPTION_PAGE = 100
# A read of the evidence the platform could not answer in time (503, 504: a part still
# catching up after the faults) is asked again, a second apart, this many times in all.
# The run's summary says how many needed it: the promises about answers in time are
# judged on the load, not on these reads.
READ_ATTEMPTS = 5
BUSY = (503, 504)
RETRIED_READS: Counter[str] = Counter()


@dataclass(frozen=True)
class StreamEvent:
    """One points event as the stream holds it, with the ledger entries it announces."""

    event_id: str
    event_type: str
    member_id: str
    entry_ids: tuple[str, ...]


async def _every_page(
    http: httpx.AsyncClient, path: str, key: str, limit: int, headers: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Every item of a paged list (`limit`, `next_cursor`), first page to last."""
    items: list[dict[str, Any]] = []
    cursor = ""
    while True:
        params = {"limit": str(limit), **({"cursor": cursor} if cursor else {})}
        ask = partial(http.get, path, params=params, headers=headers)
        answer = await answered(ask, path)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        items += page[key]
        cursor = page.get("next_cursor") or ""
        if not cursor:
            return items


async def ledger(http: httpx.AsyncClient, member_id: str) -> list[dict[str, Any]]:
    """Every ledger entry of the member, newest first, through the gateway."""
    path = f"/v1/members/{member_id}/points/ledger"
    return await _every_page(http, path, "entries", LEDGER_PAGE)


async def redemptions(
    http: httpx.AsyncClient, member_id: str, operator: dict[str, str]
) -> list[dict[str, Any]]:
    """Every redemption of the member, of every status, through the operator API."""
    path = f"/v1/admin/members/{member_id}/redemptions"
    return await _every_page(http, path, "redemptions", REDEMPTION_PAGE, operator)


async def answered(ask: Callable[[], Awaitable[httpx.Response]], what: str) -> httpx.Response:
    """The answer to `ask`, asked again while the platform answers it is busy."""
    for _ in range(READ_ATTEMPTS - 1):
        answer = await ask()
        if answer.status_code not in BUSY:
            return answer
        RETRIED_READS[what.rsplit("/", 1)[-1]] += 1
        await asyncio.sleep(1.0)
    return await ask()


async def balance(http: httpx.AsyncClient, member_id: str) -> dict[str, Any]:
    path = f"/v1/members/{member_id}/points"
    answer = await answered(lambda: http.get(path), path)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def _message_class(event_type: str) -> type[Message] | None:
    """`points.earned` is `PointsEarned` in the points service's events."""
    name = "".join(part.capitalize() for part in event_type.split("."))
    found = getattr(events_pb2, name, None)
    return found if isinstance(found, type) and issubclass(found, Message) else None


def _entry_ids(message: Message) -> tuple[str, ...]:
    """Every ledger entry id the event names, in any of its `*entry_id(s)` fields."""
    ids: list[str] = []
    for descriptor, value in message.ListFields():
        if descriptor.name.endswith("entry_ids"):
            ids += list(value)
        elif descriptor.name.endswith("entry_id") and value:
            ids.append(value)
    return tuple(ids)


async def points_events(nats_url: str, tenant_id: str) -> list[StreamEvent]:
    """Every points event of the tenant in the stream `LOYALTY`, in stream order."""
    client = await nats.connect(server_urls(nats_url))
    try:
        raw = await messages_on(client.jetstream(), f"loyalty.{tenant_id}.points.>")
    finally:
        await client.close()
    events = []
    for message in raw:
        headers = message.headers or {}
        event_type = headers.get("Loyalty-Event-Type", "")
        message_class = _message_class(event_type)
        assert message_class is not None, f"no protobuf message for {event_type!r}"
        decoded = message_class.FromString(message.data or b"")
        member_id = str(getattr(decoded, "member_id", ""))
        event_id = headers.get("Nats-Msg-Id", "")
        events.append(StreamEvent(event_id, event_type, member_id, _entry_ids(decoded)))
    return events


async def unpublished_outbox_rows(mongo_url: str) -> dict[str, int]:
    """How many outbox rows each service still has to publish."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    try:
        return {
            name: await client[name][OUTBOX].count_documents({"published_at": None})
            for name in SERVICE_DATABASES
        }
    finally:
        await client.close()


def entries_by_id(ledgers: Iterable[list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    return {entry["entry_id"]: entry for entries in ledgers for entry in entries}


def credited_points(entries: Iterable[dict[str, Any]], order_id: str) -> int:
    """The points a ledger holds for an order: its base and tier `earn` entries."""
    return sum(e["points"] for e in entries if e["type"] == "earn" and e["order_id"] == order_id)
