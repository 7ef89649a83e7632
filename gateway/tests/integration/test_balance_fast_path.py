"""The balance read's fast path answers exactly as the route does: two gateways over the
same database, Redis and services, one with `BALANCE_FAST_PATH` and one without, asked the
same with the same request id; status, body and every header must match, and the fast
path's counter says whether it answered or handed the request to the route."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from gateway.edge.metrics.instruments import GatewayMetrics
from gateway.tenancy.tenants import Tenant
from gateway.tests.integration.points_support import with_points
from gateway.tests.integration.support import Gateway, SettingsFactory, new_tenant, running_gateway
from libs.balance_view import BalanceView, BalanceViews
from libs.ids import new_id

ANSWERED, HANDED_OVER = "answered", "handed_over"


@dataclass
class Pair:
    fast: Gateway
    route: Gateway

    async def read(
        self, member_id: str, headers: dict[str, str], route_headers: dict[str, str] | None = None
    ) -> tuple[httpx.Response, httpx.Response]:
        """The same read through both gateways (`route_headers` for the second, when a
        credential is one gateway's own)."""
        request_id = {"X-Request-ID": f"req-{new_id()}", "Origin": "https://m.example"}
        path = f"/v1/members/{member_id}/points"
        fast = await self.fast.client.get(path, headers={**headers, **request_id})
        route = await self.route.client.get(
            path, headers={**(route_headers or headers), **request_id}
        )
        return fast, route

    async def entry(self, tenant_id: str, member_id: str, view: BalanceView) -> None:
        await BalanceViews(self.fast.container.redis).put(tenant_id, member_id, view)


@asynccontextmanager
async def gateways(settings_of: SettingsFactory, **overrides: object) -> AsyncIterator[Pair]:
    settings = settings_of(**overrides)
    without = settings.model_copy(update={"balance_fast_path": False})
    async with AsyncExitStack() as stack:
        fast = await stack.enter_async_context(running_gateway(settings))
        route = await stack.enter_async_context(running_gateway(without))
        yield Pair(fast, route)


@pytest.fixture
async def pair(make_settings: SettingsFactory, redis_url: str) -> AsyncIterator[Pair]:
    async with gateways(make_settings, redis_url=redis_url) as both:
        # the read model's script loaded, as any earlier read through the route does
        await BalanceViews(both.fast.container.redis).get("warm", "up")
        yield both


@pytest.fixture
async def pair_without_redis(make_settings: SettingsFactory) -> AsyncIterator[Pair]:
    async with gateways(make_settings) as both:  # nothing listens at the settings' Redis
        yield both


def fast_reads(gateway: Gateway, outcome: str) -> float:
    metrics: GatewayMetrics = gateway.app.state.metrics
    return metrics.balance_fast_reads.value((outcome,))


def assert_same_answer(fast: httpx.Response, route: httpx.Response) -> None:
    assert (fast.status_code, fast.content) == (route.status_code, route.content)
    assert fast.headers.multi_items() == route.headers.multi_items()


def a_balance() -> BalanceView:
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    later = soon + timedelta(days=90)
    return BalanceView(7, 1200, 100, 0, 5300, ((soon, 300), (later, 500)))


async def test_a_read_model_hit_is_answered_by_the_fast_path_as_the_route_answers_it(
    pair: Pair,
) -> None:
    tenant_id, member_id = new_tenant(), new_id("mem_")
    headers = await pair.fast.key(tenant_id, "ecommerce")
    await pair.entry(tenant_id, member_id, a_balance())

    fast, route = await pair.read(member_id, headers)

    assert fast.status_code == 200, fast.text
    assert fast.json()["available"] == 1200
    assert [e["points"] for e in fast.json()["expiring"]] == [300]
    assert_same_answer(fast, route)
    assert fast_reads(pair.fast, ANSWERED) == 1
    assert fast_reads(pair.route, ANSWERED) == 0


async def test_a_store_bound_key_reads_a_balance_through_the_fast_path(pair: Pair) -> None:
    tenant_id, member_id = new_tenant(), new_id("mem_")
    headers = await pair.fast.key(tenant_id, "pos", store_id="S001")
    await pair.entry(tenant_id, member_id, a_balance())

    fast, route = await pair.read(member_id, headers)

    assert fast.status_code == 200, fast.text
    assert_same_answer(fast, route)
    assert fast_reads(pair.fast, ANSWERED) == 1


async def test_a_miss_is_handed_to_the_route_which_asks_the_points_service(pair: Pair) -> None:
    tenant_id = new_tenant()
    headers = await pair.fast.key(tenant_id, "pos", store_id="S001")
    member_id = await with_points(pair.route, headers)

    fast, route = await pair.read(member_id, headers)

    assert fast.status_code == 200, fast.text
    assert fast.json()["available"] == 398
    assert_same_answer(fast, route)
    assert (fast_reads(pair.fast, ANSWERED), fast_reads(pair.fast, HANDED_OVER)) == (0, 1)


async def test_an_unknown_member_is_not_found_through_either(pair: Pair) -> None:
    headers = await pair.fast.key(new_tenant(), "pos")

    fast, route = await pair.read(new_id("mem_"), headers)

    assert (fast.status_code, fast.json()["code"]) == (404, "member_not_found")
    assert_same_answer(fast, route)
    assert fast_reads(pair.fast, HANDED_OVER) == 1


async def test_another_tenants_member_is_not_found_though_its_balance_is_in_redis(
    pair: Pair,
) -> None:
    demo, sandbox, member_id = new_tenant(), new_tenant(), new_id("mem_")
    await pair.entry(demo, member_id, a_balance())
    headers = await pair.fast.key(sandbox, "pos")

    fast, route = await pair.read(member_id, headers)

    assert (fast.status_code, fast.json()["code"]) == (404, "member_not_found")
    assert_same_answer(fast, route)
    assert fast_reads(pair.fast, HANDED_OVER) == 1


async def test_a_member_token_reads_its_own_balance_and_not_another_members(pair: Pair) -> None:
    tenant_id, own, other = new_tenant(), new_id("mem_"), new_id("mem_")
    await pair.entry(tenant_id, own, a_balance())
    await pair.entry(tenant_id, other, a_balance())
    token = await pair.fast.member_token(tenant_id, own)

    own_fast, own_route = await pair.read(own, token)
    other_fast, other_route = await pair.read(other, token)

    assert own_fast.status_code == 200, own_fast.text
    assert_same_answer(own_fast, own_route)
    # another member's balance is "no such member" (docs/security.md), never 403
    assert (other_fast.status_code, other_fast.json()["code"]) == (404, "member_not_found")
    assert_same_answer(other_fast, other_route)
    assert fast_reads(pair.fast, ANSWERED) == 2


async def test_an_app_key_without_the_legacy_access_is_refused_by_the_fast_path_too(
    pair: Pair,
) -> None:
    tenant_id, member_id = new_tenant(), new_id("mem_")
    await pair.entry(tenant_id, member_id, a_balance())
    headers = await pair.fast.key(tenant_id, "app")

    fast, route = await pair.read(member_id, headers)

    assert (fast.status_code, fast.json()["code"]) == (403, "member_token_required")
    assert_same_answer(fast, route)
    assert fast_reads(pair.fast, ANSWERED) == 1


async def test_a_key_without_points_read_is_refused_by_the_fast_path_too(pair: Pair) -> None:
    tenant_id, member_id = new_tenant(), new_id("mem_")
    await pair.entry(tenant_id, member_id, a_balance())
    headers = await pair.fast.key(tenant_id, "pos", scopes=["members:read"])

    fast, route = await pair.read(member_id, headers)

    assert (fast.status_code, fast.json()["code"]) == (403, "forbidden")
    assert_same_answer(fast, route)


async def test_an_unknown_key_is_unauthorized_through_either(pair: Pair) -> None:
    member_id = new_id("mem_")
    headers = {"Authorization": f"Bearer lk_pos_{new_id()}"}

    fast, route = await pair.read(member_id, headers)

    assert (fast.status_code, fast.json()["code"]) == (401, "unauthorized")
    assert_same_answer(fast, route)


async def test_a_suspended_tenants_key_is_refused_by_the_fast_path(pair: Pair) -> None:
    tenant_id, member_id = new_tenant(), new_id("mem_")
    await pair.fast.container.tenants.upsert(
        Tenant(tenant_id, "Acme", ("S001",), "CN", "Asia/Shanghai", "CNY")
    )
    headers = await pair.fast.key(tenant_id, "pos")
    await pair.entry(tenant_id, member_id, a_balance())
    before, _ = await pair.read(member_id, headers)

    await pair.fast.container.suspensions.suspend(tenant_id)
    fast, route = await pair.read(member_id, headers)

    assert before.status_code == 200
    assert (fast.status_code, fast.json()["code"]) == (403, "tenant_suspended")
    assert_same_answer(fast, route)
    assert fast_reads(pair.fast, ANSWERED) == 2


async def test_a_key_past_its_rate_limit_gets_the_same_429_from_the_fast_path(
    pair: Pair,
) -> None:
    tenant_id, member_id = new_tenant(), new_id("mem_")
    limits = {"per_key": {"per_second": 0.01, "burst": 1}}
    await pair.fast.container.policies.configure(tenant_id, rate_limits=limits)
    await pair.entry(tenant_id, member_id, a_balance())
    fast_key = await pair.fast.key(tenant_id, "pos")  # a bucket each
    route_key = await pair.fast.key(tenant_id, "pos")
    first = await pair.read(member_id, fast_key, route_key)

    fast, route = await pair.read(member_id, fast_key, route_key)

    assert [answer.status_code for answer in first] == [200, 200]
    assert (fast.status_code, fast.json()["code"]) == (429, "rate_limited")
    assert int(fast.headers["retry-after"]) >= 1
    assert_same_answer(fast, route)
    assert fast_reads(pair.fast, ANSWERED) == 2


async def test_a_read_with_a_query_string_is_left_to_the_route(pair: Pair) -> None:
    tenant_id, member_id = new_tenant(), new_id("mem_")
    headers = await pair.fast.key(tenant_id, "pos")
    await pair.entry(tenant_id, member_id, a_balance())

    answer = await pair.fast.client.get(
        f"/v1/members/{member_id}/points", params={"fields": "all"}, headers=headers
    )

    assert answer.status_code == 200
    assert fast_reads(pair.fast, ANSWERED) + fast_reads(pair.fast, HANDED_OVER) == 0


async def test_the_read_models_script_flushed_from_redis_hands_over_once(pair: Pair) -> None:
    tenant_id, member_id = new_tenant(), new_id("mem_")
    headers = await pair.fast.key(tenant_id, "pos")
    await pair.entry(tenant_id, member_id, a_balance())
    await pair.fast.container.redis.script_flush()

    first, _ = await pair.read(member_id, headers)  # the route loads it again
    second, _ = await pair.read(member_id, headers)

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.content == second.content
    assert (fast_reads(pair.fast, HANDED_OVER), fast_reads(pair.fast, ANSWERED)) == (1, 1)


async def test_without_redis_the_route_answers_every_read(pair_without_redis: Pair) -> None:
    pair = pair_without_redis
    headers = await pair.fast.key(new_tenant(), "pos", store_id="S001")
    member_id = await with_points(pair.route, headers)

    fast, route = await pair.read(member_id, headers)
    again, _ = await pair.read(member_id, headers)

    assert fast.status_code == 200, fast.text
    assert fast.json()["available"] == 398
    assert_same_answer(fast, route)
    assert again.content == fast.content
    assert fast_reads(pair.fast, HANDED_OVER) == 2
