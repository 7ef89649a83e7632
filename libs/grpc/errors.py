"""Turns domain errors into gRPC status, and back on the client side.

The machine `code` of a domain error rides in the trailing metadata under
`ERROR_CODE_KEY`, so the gateway can answer with the same code in problem+json.
"""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
from grpc import aio
from pymongo.errors import ConnectionFailure

from libs.errors import DomainError, Status
from libs.grpc.intercept import Behavior, UnaryServerInterceptor
from libs.logging import REQUEST_ID_HEADER, bind_request, get_logger

ERROR_CODE_KEY = "loyalty-error-code"

STATUS_CODES: dict[Status, grpc.StatusCode] = {
    Status.INVALID_ARGUMENT: grpc.StatusCode.INVALID_ARGUMENT,
    Status.NOT_FOUND: grpc.StatusCode.NOT_FOUND,
    Status.ALREADY_EXISTS: grpc.StatusCode.ALREADY_EXISTS,
    Status.FAILED_PRECONDITION: grpc.StatusCode.FAILED_PRECONDITION,
    Status.ABORTED: grpc.StatusCode.ABORTED,
    Status.PERMISSION_DENIED: grpc.StatusCode.PERMISSION_DENIED,
    Status.UNAVAILABLE: grpc.StatusCode.UNAVAILABLE,
}

log = get_logger(__name__)


def _metadata_value(context: aio.ServicerContext[Any, Any], key: str) -> str | None:
    for item_key, value in context.invocation_metadata() or ():
        if item_key == key:
            return value.decode() if isinstance(value, bytes) else value
    return None


def _guard(behavior: Behavior, method: str) -> Behavior:
    async def guarded(request: Any, context: aio.ServicerContext[Any, Any]) -> Any:
        with bind_request(_metadata_value(context, REQUEST_ID_HEADER), rpc=method):
            try:
                return await behavior(request, context)
            except aio.AbortError:
                raise
            except DomainError as exc:
                log.info("rpc_refused", code=exc.code, detail=exc.message)
                error = exc
            except ConnectionFailure as exc:  # the service's database is out of reach
                log.warning("rpc_database_unavailable", error=type(exc).__name__)
                await context.abort(grpc.StatusCode.UNAVAILABLE, "database unavailable")
            except Exception as exc:
                if _abandoned(exc, context):
                    log.warning("rpc_abandoned", error=type(exc).__name__, detail=str(exc)[:300])
                    await context.abort(grpc.StatusCode.DEADLINE_EXCEEDED, "deadline exceeded")
                log.exception("rpc_failed")
                await context.abort(grpc.StatusCode.INTERNAL, "internal error")
            await context.abort(
                STATUS_CODES[error.status],
                error.message,
                trailing_metadata=((ERROR_CODE_KEY, error.code),),
            )
            return None  # abort() raises; this line is never reached

    return guarded


def _abandoned(exc: BaseException, context: aio.ServicerContext[Any, Any]) -> bool:
    """Whether a failure is the call's own end: its deadline passed, or its cancellation
    came out of a library as another error (PyMongo's server selection, cancelled while it
    waits, raises RuntimeError from releasing a lock it no longer holds). Such a call is
    answered DEADLINE_EXCEEDED, as gRPC answers it, never INTERNAL: the server's deadline
    can pass just before the caller's, and its INTERNAL would then reach the caller."""
    remaining = context.time_remaining()
    if remaining is not None and remaining <= 0:
        return True
    chain: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and link not in chain:
        chain.append(link)
        link = link.__cause__ or link.__context__
    return any(isinstance(link, asyncio.CancelledError) for link in chain)


class ErrorInterceptor(UnaryServerInterceptor):
    """Binds the caller's request id to the logs and maps exceptions to gRPC status.

    Domain errors keep their status and code; a database out of reach becomes
    UNAVAILABLE; a failure that is the call's cancellation, DEADLINE_EXCEEDED; anything
    else becomes INTERNAL with a generic message, the details going to the log only.
    """

    def wrap(self, behavior: Behavior, method: str) -> Behavior:
        return _guard(behavior, method)


def error_code_of(error: aio.AioRpcError) -> str | None:
    """The machine code a service attached to a failed call, if any."""
    metadata: Any = error.trailing_metadata() or ()
    for key, value in metadata:
        if key == ERROR_CODE_KEY:
            return value.decode() if isinstance(value, bytes) else str(value)
    return None
