"""A unit of work over MongoDB whose recorded events leave through the outbox.

Each service gives it a factory for its repositories (bound to a session, or to none for
reads) and a function turning its domain events into outbox messages. The events are
written in the same transaction as the state change, and the relay is nudged after a
commit that wrote some, so they leave at once (a transaction without events wakes nothing).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, Protocol, TypeVar

from libs.inbox import claim_event, was_claimed
from libs.mongo import Database, MongoClient, Session, run_in_transaction
from libs.outbox import OutboxMessage, OutboxRelay, add_to_outbox

T = TypeVar("T")
E = TypeVar("E")


class RecordsEvents(Protocol[E]):
    @property
    def events(self) -> list[E]: ...


R = TypeVar("R", bound=RecordsEvents)  # type: ignore[type-arg]


class EventRepositories(Generic[E]):
    """What a service's repositories share: the events one unit of work records, and a
    consumer's claim of the event it handles, in the same transaction as its effect."""

    def __init__(self, db: Database, session: Session | None) -> None:
        self.events: list[E] = []
        self._db = db
        self._session = session

    async def claim(self, consumer: str, event_id: str) -> bool:
        if self._session is None:
            raise RuntimeError("an event is claimed inside a transaction")
        return await claim_event(self._db, self._session, consumer, event_id)

    async def claimed(self, consumer: str, event_id: str) -> bool:
        """Whether `consumer` claimed `event_id` before (read only)."""
        return await was_claimed(self._db, consumer, event_id, self._session)

    def record(self, event: E) -> None:
        self.events.append(event)


class MongoUnitOfWork(Generic[R, E]):
    def __init__(
        self,
        client: MongoClient,
        db: Database,
        make_repositories: Callable[[Database, Session | None], R],
        to_outbox: Callable[[E], OutboxMessage] | None = None,
        relay: OutboxRelay | None = None,
    ) -> None:
        self._client = client
        self._db = db
        self._make_repositories = make_repositories
        self._to_outbox = to_outbox
        self._relay = relay

    async def transaction(self, work: Callable[[R], Awaitable[T]]) -> T:
        # Whether the attempt that committed wrote outbox rows (an attempt may be retried).
        wrote = False

        async def unit(session: Session) -> T:
            nonlocal wrote
            repositories = self._make_repositories(self._db, session)
            result = await work(repositories)
            wrote = bool(repositories.events)
            if wrote:
                if self._to_outbox is None:
                    raise TypeError("this unit of work was given no way to publish events")
                messages = [self._to_outbox(event) for event in repositories.events]
                await add_to_outbox(self._db, session, messages)
            return result

        result = await run_in_transaction(self._client, unit)
        if wrote and self._relay is not None:
            self._relay.notify()
        return result

    async def read(self, work: Callable[[R], Awaitable[T]]) -> T:
        return await work(self._make_repositories(self._db, None))
