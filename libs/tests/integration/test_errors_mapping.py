"""Errors cross the gRPC boundary as their status and machine code, and leak nothing else."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
from grpc import aio

from libs.grpc.client import make_channel
from libs.grpc.errors import error_code_of
from libs.grpc.server import GrpcServer, ServerSpec
from libs.tests.integration.probe import SECRET, call, probe_servicer


@pytest.fixture
async def channel() -> AsyncIterator[aio.Channel]:
    server = GrpcServer(ServerSpec("probe", "127.0.0.1:0", [probe_servicer()]))
    await server.start()
    async with make_channel(f"127.0.0.1:{server.port}") as client_channel:
        yield client_channel
    await server.stop()


async def failure_of(channel: aio.Channel, kind: str) -> aio.AioRpcError:
    with pytest.raises(aio.AioRpcError) as failure:
        await call(channel, "Fail", kind)
    return failure.value


async def test_a_domain_error_arrives_as_its_status_with_its_message_and_machine_code(
    channel: aio.Channel,
) -> None:
    error = await failure_of(channel, "not_found")

    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert error.details() == "no such thing"
    assert error_code_of(error) == "thing_not_found"


async def test_a_domain_error_without_its_own_code_carries_its_class_code(
    channel: aio.Channel,
) -> None:
    error = await failure_of(channel, "invalid")

    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_code_of(error) == "validation_error"


async def test_a_cancellation_that_came_out_as_another_error_arrives_as_deadline_exceeded(
    channel: aio.Channel,
) -> None:
    error = await failure_of(channel, "cancelled_inside")

    assert error.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert error.details() == "deadline exceeded"


async def test_an_unknown_exception_arrives_as_internal_with_a_generic_message(
    channel: aio.Channel,
) -> None:
    error = await failure_of(channel, "crash")

    assert error.code() == grpc.StatusCode.INTERNAL
    assert error.details() == "internal error"
    assert error_code_of(error) is None
    assert SECRET not in str(error.trailing_metadata())
    assert SECRET not in (error.debug_error_string() or "")


async def test_an_unreachable_database_arrives_as_unavailable_so_the_caller_may_retry(
    channel: aio.Channel,
) -> None:
    error = await failure_of(channel, "database_down")

    assert error.code() == grpc.StatusCode.UNAVAILABLE
    assert error.details() == "database unavailable"
    assert SECRET not in str(error.trailing_metadata())


async def test_a_status_the_servicer_set_itself_passes_through_unchanged(
    channel: aio.Channel,
) -> None:
    error = await failure_of(channel, "abort")

    assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert error.details() == "slow down"
    assert error_code_of(error) is None
