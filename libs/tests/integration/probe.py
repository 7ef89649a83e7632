"""A tiny gRPC service to drive the server bootstrap with, and its client.

Built from generic handlers over `google.protobuf.StringValue` so that it depends on no
service's contract.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
from google.protobuf.wrappers_pb2 import StringValue
from grpc import aio
from pymongo.errors import ServerSelectionTimeoutError

from libs.errors import InvalidArgument, NotFound
from libs.grpc.server import Servicer
from libs.logging import REQUEST_ID_HEADER, current_request_id

SERVICE_NAME = "libs.tests.v1.ProbeService"
SECRET = "password=hunter2"

Context = aio.ServicerContext[StringValue, StringValue]
Method = Callable[[StringValue, Context], Awaitable[StringValue]]


class Probe:
    """Each method answers with what the server saw, or fails as asked."""

    async def SeenRequestId(self, request: StringValue, context: Context) -> StringValue:  # noqa: N802
        sent = dict(context.invocation_metadata() or ()).get(REQUEST_ID_HEADER, "")
        return StringValue(value=f"{sent}|{current_request_id()}")

    async def TimeRemaining(self, request: StringValue, context: Context) -> StringValue:  # noqa: N802
        return StringValue(value=str(context.time_remaining()))

    async def Sleep(self, request: StringValue, context: Context) -> StringValue:  # noqa: N802
        await asyncio.sleep(float(request.value))
        return StringValue(value="slept")

    async def Fail(self, request: StringValue, context: Context) -> StringValue:  # noqa: N802
        if request.value == "not_found":
            raise NotFound("no such thing", code="thing_not_found")
        if request.value == "invalid":
            raise InvalidArgument("amount must be positive")
        if request.value == "abort":
            await context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, "slow down")
        if request.value == "cancelled_inside":
            # What PyMongo does when its server selection is cancelled: the cancellation
            # comes out as another error.
            try:
                raise asyncio.CancelledError
            except asyncio.CancelledError:
                raise RuntimeError("Lock is not acquired") from None
        if request.value == "database_down":
            raise ServerSelectionTimeoutError(f"no server at mongodb://{SECRET}@db")
        raise RuntimeError(f"could not connect with {SECRET}")


METHODS = ("SeenRequestId", "TimeRemaining", "Sleep", "Fail")


def add_probe_to_server(probe: Any, server: aio.Server) -> None:
    handlers = {
        name: grpc.unary_unary_rpc_method_handler(
            getattr(probe, name),
            request_deserializer=StringValue.FromString,
            response_serializer=StringValue.SerializeToString,
        )
        for name in METHODS
    }
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE_NAME, handlers),))


def probe_servicer() -> Servicer:
    return Servicer(add_probe_to_server, Probe(), SERVICE_NAME)


async def call(
    channel: aio.Channel, method: str, value: str = "", deadline: float | None = None
) -> str:
    stub = channel.unary_unary(
        f"/{SERVICE_NAME}/{method}",
        request_serializer=StringValue.SerializeToString,
        response_deserializer=StringValue.FromString,
    )
    response: StringValue = await stub(StringValue(value=value), timeout=deadline)
    return response.value
