"""Reconciliation reads one collection after another: a wallet that changed between those
reads looks drifting for that pass, and is not reported unless a second pass agrees."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pymongo import AsyncMongoClient, MongoClient, monitoring

from services.points.adapters.reconciliation import drifting_wallets
from services.points.adapters.repositories import WALLETS
from services.points.domain.reconciliation import Drift
from services.points.settings import PointsSettings
from services.points.tests.integration.test_concurrency import shopper

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


class ChangedWhileRead(monitoring.CommandListener):
    """Moves the member's wallet by `held` while the first `passes` reads of the wallets
    are in flight, and back once each is answered: those reads see the wallet mid-change,
    after the ledger and holds were read without it."""

    def __init__(self, settings: PointsSettings, member_id: str, held: int, passes: int) -> None:
        client: MongoClient[dict[str, Any]] = MongoClient(settings.mongo_url)
        self._wallets = client[settings.mongo_db][WALLETS]
        self._member_id, self._held, self._left = member_id, held, passes
        self._moved = False

    def _move(self, by: int) -> None:
        self._wallets.update_one({"member_id": self._member_id}, {"$inc": {"held": by}})

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "find" and event.command.get("find") == WALLETS and self._left:
            self._left -= 1
            self._move(self._held)
            self._moved = True

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        if self._moved and event.command_name == "find":
            self._moved = False
            self._move(-self._held)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def close(self) -> None:
        self._wallets.database.client.close()


async def drifting_while(
    settings: PointsSettings, tenant: str, listener: ChangedWhileRead
) -> list[Drift]:
    watched: AsyncMongoClient[Any] = AsyncMongoClient(
        settings.mongo_url, event_listeners=[listener], tz_aware=True
    )
    try:
        return [d async for d in drifting_wallets(watched[settings.mongo_db], tenant)]
    finally:
        await watched.close()
        listener.close()


async def test_a_wallet_changed_while_the_first_pass_read_it_is_not_reported(
    points: PointsServiceAsyncStub, settings: PointsSettings, tenant: str
) -> None:
    await shopper(points, tenant, "m1")

    drifting = await drifting_while(settings, tenant, ChangedWhileRead(settings, "m1", 10, 1))

    assert drifting == []


async def test_a_wallet_drifting_in_both_passes_is_reported_with_what_the_second_found(
    points: PointsServiceAsyncStub, settings: PointsSettings, tenant: str
) -> None:
    await shopper(points, tenant, "m1")
    await shopper(points, tenant, "m2")

    drifting = await drifting_while(settings, tenant, ChangedWhileRead(settings, "m2", 10, 2))

    assert [(d.tenant_id, d.member_id) for d in drifting] == [(tenant, "m2")]
    assert any("held" in problem for problem in drifting[0].problems)
