"""The gRPC bootstrap: health, reflection, request ids, deadlines and a graceful stop."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator

import grpc
import pytest
from grpc import aio
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from libs.grpc.client import make_channel
from libs.grpc.server import GrpcServer, ServerSpec, serve
from libs.logging import bind_request
from libs.tests.integration.probe import SERVICE_NAME, call, probe_servicer

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


class Loop:
    """A worker that runs until stopped, or fails after `fail_after` seconds."""

    def __init__(self, fail_after: float | None = None) -> None:
        self.fail_after = fail_after
        self.stopping = asyncio.Event()
        self.finished = False

    async def run(self) -> None:
        try:
            await asyncio.wait_for(self.stopping.wait(), timeout=self.fail_after)
        except TimeoutError:
            raise RuntimeError("the worker lost its database") from None
        self.finished = True

    def stop(self) -> None:
        self.stopping.set()


def spec(*workers: Loop, grace: float = 5.0) -> ServerSpec:
    return ServerSpec(
        name="probe",
        listen="127.0.0.1:0",
        servicers=[probe_servicer()],
        workers=workers,
        grace_seconds=grace,
    )


@pytest.fixture
async def server() -> AsyncIterator[GrpcServer]:
    grpc_server = GrpcServer(spec())
    await grpc_server.start()
    yield grpc_server
    await grpc_server.stop()


@pytest.fixture
async def channel(server: GrpcServer) -> AsyncIterator[aio.Channel]:
    async with make_channel(f"127.0.0.1:{server.port}") as client_channel:
        yield client_channel


async def health_of(channel: aio.Channel, service: str) -> int:
    stub = health_pb2_grpc.HealthStub(channel)
    response = await stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
    return int(response.status)


async def test_health_answers_serving_for_the_server_and_for_each_service(
    channel: aio.Channel,
) -> None:
    assert await health_of(channel, "") == SERVING
    assert await health_of(channel, SERVICE_NAME) == SERVING


async def test_reflection_lists_the_mounted_service(channel: aio.Channel) -> None:
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    stream = stub.ServerReflectionInfo(timeout=5)
    await stream.write(reflection_pb2.ServerReflectionRequest(list_services=""))
    response = await stream.read()
    await stream.done_writing()

    names = {s.name for s in response.list_services_response.service}
    assert {SERVICE_NAME, "grpc.health.v1.Health"} <= names


async def test_a_request_id_bound_by_the_caller_reaches_the_server(channel: aio.Channel) -> None:
    with bind_request("req-42"):
        seen = await call(channel, "SeenRequestId")

    assert seen == "req-42|req-42"  # in the metadata, and bound to the server's logs


async def test_a_call_made_outside_any_request_gets_a_fresh_request_id_on_the_server(
    channel: aio.Channel,
) -> None:
    sent, bound = (await call(channel, "SeenRequestId")).split("|")

    assert sent == ""
    assert bound != "None"
    assert len(bound) == 26


async def test_a_call_without_a_timeout_gets_the_channel_default_deadline(
    server: GrpcServer,
) -> None:
    async with make_channel(f"127.0.0.1:{server.port}", default_timeout=1.5) as channel:
        defaulted = float(await call(channel, "TimeRemaining"))
        explicit = float(await call(channel, "TimeRemaining", deadline=30))

    assert 0 < defaulted < 1.75  # gRPC's clock may round a deadline up by a tick
    assert explicit > 5


async def test_a_call_past_the_default_deadline_fails_with_deadline_exceeded(
    server: GrpcServer,
) -> None:
    async with make_channel(f"127.0.0.1:{server.port}", default_timeout=0.2) as channel:
        with pytest.raises(aio.AioRpcError) as failure:
            await call(channel, "Sleep", "2")

    assert failure.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED


async def test_stop_turns_health_not_serving_and_lets_an_in_flight_call_finish() -> None:
    worker = Loop()
    grpc_server = GrpcServer(spec(worker, grace=5.0))
    await grpc_server.start()
    async with make_channel(f"127.0.0.1:{grpc_server.port}") as channel:
        watch = health_pb2_grpc.HealthStub(channel).Watch(health_pb2.HealthCheckRequest())
        assert (await watch.read()).status == SERVING
        slow_call = asyncio.create_task(call(channel, "Sleep", "0.5"))
        await asyncio.sleep(0.1)
        started = time.monotonic()

        stopping = asyncio.create_task(grpc_server.stop())
        assert (await watch.read()).status == NOT_SERVING
        watch.cancel()

        assert await slow_call == "slept"
        await stopping
        assert time.monotonic() - started < 2.0
        assert worker.finished
        with pytest.raises(aio.AioRpcError) as refused:
            await health_of(channel, "")
        assert refused.value.code() == grpc.StatusCode.UNAVAILABLE


async def test_a_call_outliving_the_grace_period_is_cut_off() -> None:
    grpc_server = GrpcServer(spec(grace=0.3))
    await grpc_server.start()
    async with make_channel(f"127.0.0.1:{grpc_server.port}") as channel:
        slow_call = asyncio.create_task(call(channel, "Sleep", "10"))
        await asyncio.sleep(0.1)
        started = time.monotonic()

        await grpc_server.stop()

        with pytest.raises(aio.AioRpcError):
            await slow_call
        assert time.monotonic() - started < 2.0


async def test_a_worker_that_fails_stops_the_server_and_the_process() -> None:
    steady = Loop()
    grpc_server = GrpcServer(spec(Loop(fail_after=0.2), steady))
    await grpc_server.start()

    with pytest.raises(SystemExit) as exit_:
        async with asyncio.timeout(5):  # not wait_for: its task would hand SystemExit to the loop
            await grpc_server.wait()

    assert exit_.value.code == 1
    assert steady.finished
    async with make_channel(f"127.0.0.1:{grpc_server.port}") as channel:
        with pytest.raises(aio.AioRpcError):
            await health_of(channel, "")


async def test_sigterm_makes_serve_stop_its_workers_and_return() -> None:
    worker = Loop()
    server_spec = spec(worker)
    # Should serve() not take SIGTERM over, this test fails instead of the whole run dying.
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        serving = asyncio.create_task(serve(server_spec))
        await asyncio.wait_for(server_spec.started.wait(), timeout=5)

        os.kill(os.getpid(), signal.SIGTERM)

        await asyncio.wait_for(serving, timeout=5)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert worker.finished
