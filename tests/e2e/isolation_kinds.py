"""The two kinds of tenant-isolation case and the helpers that build them
(see `isolation_cases`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
from pydantic import BaseModel

from tests.e2e.isolation_world import (
    Call,
    World,
)

Build = Callable[[World], Call]
Judge = Callable[[World, httpx.Response], Awaitable[None]]


@dataclass(frozen=True)
class Foreign:
    principal: str
    build: Build


@dataclass(frozen=True)
class Judged:
    principal: str
    build: Build
    judge: Judge


Case = Foreign | Judged
T = "/v1/admin/coupon-templates"
WH = "/v1/admin/webhooks/{endpoint_id}"
M = "/v1/members/{member_id}"


def member(suffix: str = "", json: Any = None) -> Build:
    return lambda w: Call(f"/v1/members/{w.member_id}{suffix}", json=json)


def webhook(suffix: str, json: Any = None) -> Build:
    return lambda w: Call(f"/v1/admin/webhooks/{w.webhook_id}{suffix}", json=json)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid4().hex}"


def example_of(model: type[BaseModel]) -> Any:
    return model.model_json_schema()["examples"][0]


async def shows_no_demo_figures(w: World, response: httpx.Response) -> None:
    """An analytics report of the sandbox: none of the demo's figures (the demo has its
    member, its order and points; the same report of the demo's shows them)."""
    assert response.status_code == 200, response.text
    path = response.request.url.path
    demo = await w.http.get(path, headers=w.demo["operator"])
    assert demo.status_code == 200, demo.text
    assert response.json() != demo.json()


def until() -> str:
    return (datetime.now(UTC) + timedelta(days=30)).isoformat()
