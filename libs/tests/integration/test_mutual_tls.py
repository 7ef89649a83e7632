"""A server given TLS files answers only callers that show a certificate its CA signed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import grpc
import pytest
from grpc import aio
from grpc_health.v1 import health_pb2, health_pb2_grpc

from libs.grpc.client import make_channel
from libs.grpc.server import GrpcServer, ServerSpec
from libs.grpc.tls import TlsFiles
from libs.stack.certs import local_certificates
from libs.tests.integration.probe import call, probe_servicer

REFUSED = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.UNKNOWN)


@pytest.fixture
def certificates(tmp_path: Path) -> dict[str, TlsFiles]:
    return local_certificates(tmp_path / "ours", ["points", "gateway"])


@pytest.fixture
async def server(certificates: dict[str, TlsFiles]) -> AsyncIterator[GrpcServer]:
    spec = ServerSpec(
        "probe",
        "127.0.0.1:0",
        [probe_servicer()],
        tls=certificates["points"],
        health_listen="127.0.0.1:0",
    )
    grpc_server = GrpcServer(spec)
    await grpc_server.start()
    yield grpc_server
    await grpc_server.stop()


async def refused(channel: aio.Channel) -> grpc.StatusCode:
    with pytest.raises(aio.AioRpcError) as refusal:
        await call(channel, "SeenRequestId", deadline=3.0)
    return refusal.value.code()


async def test_a_caller_with_a_certificate_from_the_same_ca_is_answered(
    server: GrpcServer, certificates: dict[str, TlsFiles]
) -> None:
    tls = certificates["gateway"]
    async with make_channel(f"127.0.0.1:{server.port}", tls=tls) as channel:
        assert await call(channel, "Sleep", "0") == "slept"


async def test_a_caller_without_a_certificate_is_refused(
    server: GrpcServer, certificates: dict[str, TlsFiles]
) -> None:
    # It trusts the server's CA, so TLS itself would work; it only shows no certificate.
    only_trust = grpc.ssl_channel_credentials(certificates["gateway"].ca.read_bytes())
    async with aio.secure_channel(f"127.0.0.1:{server.port}", only_trust) as channel:
        assert await refused(channel) in REFUSED


async def test_a_caller_whose_certificate_another_ca_signed_is_refused(
    server: GrpcServer, certificates: dict[str, TlsFiles], tmp_path: Path
) -> None:
    theirs = local_certificates(tmp_path / "theirs", ["gateway"])["gateway"]
    # Trusting the server's CA, showing a certificate of its own CA's making.
    impostor = replace(theirs, ca=certificates["gateway"].ca)
    async with make_channel(f"127.0.0.1:{server.port}", tls=impostor) as channel:
        assert await refused(channel) in REFUSED


async def test_a_plaintext_caller_is_refused(server: GrpcServer) -> None:
    async with make_channel(f"127.0.0.1:{server.port}") as channel:
        assert await refused(channel) in REFUSED


async def test_the_plaintext_health_port_answers_health_and_nothing_else(
    server: GrpcServer,
) -> None:
    async with aio.insecure_channel(f"127.0.0.1:{server.health_port}") as channel:
        reply = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
        with pytest.raises(aio.AioRpcError) as refusal:
            await call(channel, "SeenRequestId", deadline=3.0)
        assert refusal.value.code() == grpc.StatusCode.UNIMPLEMENTED


def test_certificates_are_kept_and_made_again_only_when_missing(tmp_path: Path) -> None:
    first = local_certificates(tmp_path, ["member"])["member"]
    pem = first.cert.read_bytes()
    assert local_certificates(tmp_path, ["member"])["member"].cert.read_bytes() == pem
    assert first.key.stat().st_mode & 0o777 == 0o600

    first.cert.unlink()
    assert local_certificates(tmp_path, ["member"])["member"].cert.read_bytes() != pem
