"""Helpers for the gateway's integration tests."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import httpx
from fastapi import FastAPI
from grpc import aio

from gateway.app import create_app
from gateway.container import Container
from gateway.settings import GatewaySettings
from gateway.tenancy.keys import Channel
from gateway.tests.integration.servers import free_port
from libs.grpc.errors import ErrorInterceptor
from libs.ids import new_id
from loyalty.analytics.v1.analytics_pb2_grpc import (
    AnalyticsServiceServicer,
    add_AnalyticsServiceServicer_to_server,
)

SettingsFactory = Callable[..., GatewaySettings]


@dataclass
class Gateway:
    client: httpx.AsyncClient
    container: Container
    app: FastAPI

    async def key(
        self,
        tenant_id: str,
        channel: Channel = "pos",
        *,
        store_id: str | None = None,
        scopes: list[str] | None = None,
    ) -> dict[str, str]:
        """Authorization headers for a new key."""
        issued = await self.container.keys.create_key(
            tenant_id, channel, store_id=store_id, scopes=scopes
        )
        return {"Authorization": f"Bearer {issued.secret}"}

    async def member_token(
        self, tenant_id: str, member_id: str, channel: Channel = "app"
    ) -> dict[str, str]:
        """Authorization headers acting for `member_id` only, as an app's backend would
        obtain them (`POST /v1/members/{member_id}/sessions`)."""
        session = await self.container.member_sessions.open(
            tenant_id, member_id, channel, lifetime=timedelta(hours=1)
        )
        return {"Authorization": f"Bearer {session.token}"}

    async def keep_legacy_key_access(self, tenant_id: str) -> None:
        """Let the tenant's app and mini-program keys act for any member, as before member
        sessions (docs/security.md)."""
        await self.container.policies.configure(
            tenant_id, member_sessions={"legacy_key_access": True}
        )

    async def legacy_key(self, tenant_id: str, channel: Channel = "app") -> dict[str, str]:
        """An app or mini-program key of a tenant that keeps the legacy key access: for the
        tests with fake services of what a route does for that channel, not of who may call
        it (member tokens: test_member_sessions.py; through the real services: tests/e2e)."""
        await self.keep_legacy_key_access(tenant_id)
        return await self.key(tenant_id, channel)


@asynccontextmanager
async def running_gateway(settings: GatewaySettings) -> AsyncIterator[Gateway]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield Gateway(client, app.state.container, app)


@asynccontextmanager
async def serving_analytics(fake: AnalyticsServiceServicer) -> AsyncIterator[str]:
    """A stand-in analytics service on a free port, answering what `fake` implements; its
    address."""
    server = aio.server(interceptors=[ErrorInterceptor()])
    add_AnalyticsServiceServicer_to_server(fake, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        await server.stop(0)


def unused_address() -> str:
    """An address nothing listens on: calls to it fail at once with UNAVAILABLE."""
    return f"127.0.0.1:{free_port()}"


def new_tenant() -> str:
    return f"t_{new_id()}"


def new_phone() -> str:
    return f"+86138{secrets.randbelow(10**8):08d}"
