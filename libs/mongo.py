"""MongoDB through PyMongo's asyncio API, and the one way to run a transaction."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from pymongo import AsyncMongoClient, ReadPreference, monitoring
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure, PyMongoError
from pymongo.read_concern import ReadConcern
from pymongo.write_concern import WriteConcern

from libs import mongo_waits
from libs.errors import TransactionTooLarge
from libs.logging import get_logger
from libs.metrics.process import METRICS
from libs.metrics.registry import Histogram

Doc = dict[str, Any]
MongoClient = AsyncMongoClient[Doc]
Database = AsyncDatabase[Doc]
Session = AsyncClientSession
T = TypeVar("T")

log = get_logger(__name__)

mongo_waits.install()

TRANSIENT = "TransientTransactionError"
UNKNOWN_COMMIT = "UnknownTransactionCommitResult"
# TransactionTooLarge (a transaction's operations past the server's limit) and
# TransactionTooLargeForCache (its uncommitted writes would not fit the storage cache).
TOO_LARGE = frozenset({334, 388})


class CommandTimer(monitoring.CommandListener):
    """Times every command the client sends, by command name and outcome."""

    def __init__(self, seconds: Histogram) -> None:
        self._seconds = seconds

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        pass

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        self._seconds.observe((event.command_name, "ok"), event.duration_micros / 1e6)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        self._seconds.observe((event.command_name, "error"), event.duration_micros / 1e6)


def make_client(url: str, *, app_name: str, timeout_ms: int = 5000) -> MongoClient:
    """A client whose every operation is bounded by `timeout_ms` and returns aware datetimes;
    its commands are timed into the process's `mongodb_command_duration_seconds`."""
    return AsyncMongoClient(
        url,
        event_listeners=[CommandTimer(METRICS.mongo_seconds)],
        appname=app_name,
        tz_aware=True,
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        socketTimeoutMS=timeout_ms * 2,
        retryWrites=True,
    )


async def ping(client: MongoClient) -> None:
    await client.admin.command("ping")


async def run_in_transaction(
    client: MongoClient,
    work: Callable[[Session], Awaitable[T]],
    *,
    retry_seconds: float = 10.0,
) -> T:
    """Run `work` in one multi-document transaction and commit it.

    Retries the whole unit when the server labels the failure transient (write conflict,
    election), and the commit alone when its outcome is unknown. `work` must therefore be
    safe to run again: it should only read and write through the session. Retries go on
    for `retry_seconds` rather than a number of attempts: N writers contending for one
    document may need N rounds, since each round lets only one of them commit. A unit the
    server refuses as too large raises TransactionTooLarge, never retried.
    """
    deadline = time.monotonic() + retry_seconds
    attempt = 0
    while True:
        attempt += 1
        async with client.start_session() as session:
            await session.start_transaction(
                read_concern=ReadConcern("snapshot"),
                write_concern=WriteConcern("majority"),
                read_preference=ReadPreference.PRIMARY,
            )
            try:
                result = await work(session)
                await _commit(session)
            except PyMongoError as exc:
                if session.in_transaction:
                    await session.abort_transaction()
                if exc.has_error_label(TRANSIENT) and time.monotonic() < deadline:
                    log.info("transaction_retry", attempt=attempt, error=str(exc))
                    await asyncio.sleep(_backoff(attempt))
                    continue
                if isinstance(exc, OperationFailure) and exc.code in TOO_LARGE:
                    raise TransactionTooLarge(str(exc)) from exc
                raise
            except BaseException:
                if session.in_transaction:
                    await session.abort_transaction()
                raise
            return result


def _backoff(attempt: int) -> float:
    """Full jitter, capped so that a crowd of writers keeps taking turns quickly."""
    return random.uniform(0, min(0.1, 0.005 * 2**attempt))  # noqa: S311


async def _commit(session: Session, attempts: int = 5) -> None:
    for attempt in range(1, attempts + 1):
        try:
            await session.commit_transaction()
        except PyMongoError as exc:
            if exc.has_error_label(UNKNOWN_COMMIT) and attempt < attempts:
                continue
            raise
        else:
            return


def decimal_or_none(value: Any) -> Decimal | None:
    """A decimal stored as a string, or None where none (or no valid one) is stored."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
