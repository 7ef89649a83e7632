"""An app without its lifespan: enough for what happens before a route needs a service."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Request
from pydantic import BaseModel

from gateway.app import create_app
from gateway.settings import GatewaySettings

MAX_BODY_BYTES = 1024


async def _explode() -> None:
    raise RuntimeError("Traceback: password=hunter2")


async def _echo(request: Request, limit: int = 10) -> dict[str, int]:
    return {"received": len(await request.body()), "limit": limit}


class _Note(BaseModel):
    text: str


async def _note(note: _Note) -> dict[str, int]:
    return {"length": len(note.text)}


@pytest.fixture
def app() -> FastAPI:
    settings = GatewaySettings(
        mongo_url="mongodb://127.0.0.1:1",
        redis_url="redis://127.0.0.1:1",
        nats_url="nats://127.0.0.1:1",
        member_addr="127.0.0.1:1",
        points_addr="127.0.0.1:1",
        campaign_addr="127.0.0.1:1",
        max_body_bytes=MAX_BODY_BYTES,
    )
    app = create_app(settings)
    app.add_api_route("/test/explode", _explode)
    app.add_api_route("/test/echo", _echo, methods=["POST"])
    app.add_api_route("/test/note", _note, methods=["POST"])
    return app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        yield client
