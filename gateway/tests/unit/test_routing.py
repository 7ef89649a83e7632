from __future__ import annotations

import httpx
from fastapi import APIRouter, FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.edge.routing import route_template


def app_recording_templates(seen: list[str | None]) -> FastAPI:
    inner = APIRouter(prefix="/things")

    @inner.get("/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    app = FastAPI()
    app.include_router(inner, prefix="/v9")

    class Recorder:
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            await self.app(scope, receive, send)
            seen.append(route_template(scope))

    app.add_middleware(Recorder)
    return app


async def test_the_template_carries_every_prefix_and_no_values() -> None:
    seen: list[str | None] = []
    transport = httpx.ASGITransport(app=app_recording_templates(seen))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        await client.get("/v9/things/abc")
        await client.get("/nowhere")

    assert seen == ["/v9/things/{thing_id}", None]
