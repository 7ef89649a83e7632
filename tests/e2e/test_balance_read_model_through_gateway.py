"""The balance read through the whole platform comes from the read model the points
service keeps in Redis, and shows every change as soon as the change has answered: a
purchase, a hold, its capture, a return and a hold's expiry (read-your-writes at the till).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import httpx
import pytest
from redis.asyncio import Redis

from libs.balance_view import BalanceViews
from libs.redis import make_redis
from libs.stack.platform import Stack
from tests.e2e.test_points_through_gateway import Headers, enrol, key, order, points
from tests.support.polling import settled

TENANT = "demo"


@pytest.fixture
async def http(platform_stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=10) as client:
        yield client


@pytest.fixture
def pos(platform_stack: Stack) -> Headers:
    return key(platform_stack, TENANT, "pos")


@pytest.fixture
async def views(platform_stack: Stack) -> AsyncIterator[BalanceViews]:
    redis: Redis = make_redis(platform_stack.urls["redis"])
    yield BalanceViews(redis)
    await redis.aclose()


async def shown(http: httpx.AsyncClient, pos: Headers, member_id: str) -> tuple[int, int]:
    balance = await points(http, pos, member_id)
    return balance["available"], balance["held"]


async def version(views: BalanceViews, member_id: str) -> int:
    view = await views.get(TENANT, member_id)
    assert view is not None, "the points service kept no balance for the member"
    return view.version


async def test_each_change_is_in_the_balance_read_as_soon_as_it_has_answered(
    http: httpx.AsyncClient, pos: Headers, views: BalanceViews
) -> None:
    member_id = await enrol(http, pos)
    await order(http, pos, member_id)
    assert await shown(http, pos, member_id) == (398, 0)
    assert await version(views, member_id) == 1

    hold: dict[str, Any] = {"member_id": member_id, "points": 100, "store_id": "S001"}
    held = (await http.post("/v1/redemptions", json=hold, headers=pos)).json()
    assert await shown(http, pos, member_id) == (298, 100)
    captured = await http.post(f"/v1/redemptions/{held['redemption_id']}/capture", headers=pos)
    assert captured.status_code == 200, captured.text
    assert await shown(http, pos, member_id) == (298, 0)

    second = await order(http, pos, member_id)
    assert await shown(http, pos, member_id) == (696, 0)
    body = {"return_id": f"RET-{uuid4().hex}", "amount": "199.00"}
    returned = await http.post(f"/v1/orders/{second['order_id']}/returns", json=body, headers=pos)
    assert returned.status_code == 201, returned.text
    assert await shown(http, pos, member_id) == (497, 0)
    assert await version(views, member_id) == 5

    lapsing = {**hold, "points": 50, "hold_seconds": 30}
    assert (await http.post("/v1/redemptions", json=lapsing, headers=pos)).status_code == 201
    assert await shown(http, pos, member_id) == (447, 50)
    # the hold's expiry is the points service's own sweep: the read shows it when it ran
    await settled(lambda: shown(http, pos, member_id), lambda seen: seen == (497, 0), within=60)
    assert await version(views, member_id) == 7
