"""Webhooks end to end in the gateway: real NATS (events published as the outbox relay
does), a real MongoDB-protocol server, and a real receiver on a loopback port."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from google.protobuf.message import Message

from gateway.tests.integration.stream import publish
from gateway.tests.integration.support import Gateway, SettingsFactory, new_tenant, running_gateway
from libs.ids import new_id
from libs.nats import NatsConnector
from loyalty.member.v1 import events_pb2 as member_pb
from loyalty.points.v1 import events_pb2 as points_pb
from tests.support.polling import eventually, settled
from tests.support.webhook_receiver import Receiver, receiving

HOOKS = "/v1/admin/webhooks"


@pytest.fixture
def webhook_settings(make_settings: SettingsFactory, nats_url: str) -> dict[str, Any]:
    return {
        "nats_url": nats_url,
        "webhook_worker": True,
        "webhook_retry_first_seconds": 0.2,
        "webhook_timeout_seconds": 1.0,
    }


def earned(points: int) -> Message:
    return points_pb.PointsEarned(member_id=new_id("m_"), points=points, order_id=new_id("o_"))


async def subscribe(gateway: Gateway, tenant_id: str, url: str, types: list[str]) -> dict[str, Any]:
    operator = await gateway.key(tenant_id, "operator")
    answer = await gateway.client.post(
        HOOKS, json={"url": url, "event_types": types}, headers=operator
    )
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    created["headers"] = operator
    return created


async def deliveries(gateway: Gateway, hook: dict[str, Any]) -> list[dict[str, Any]]:
    path = f"{HOOKS}/{hook['webhook']['endpoint_id']}/deliveries"
    answer = await gateway.client.get(path, headers=hook["headers"])
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()["deliveries"]
    return found


async def test_every_event_reaches_a_receiver_that_fails_times_out_and_recovers(
    make_settings: SettingsFactory, webhook_settings: dict[str, Any], stream: NatsConnector
) -> None:
    async def fail_then_hang_then_recover(arrival: int) -> int:
        if arrival <= 2:
            return 500
        if arrival == 3:
            await asyncio.sleep(3)  # past the gateway's 1 s timeout
        return 200

    tenant, other = new_tenant(), new_tenant()
    async with (
        running_gateway(make_settings(**webhook_settings)) as gateway,
        receiving(Receiver(fail_then_hang_then_recover)) as receiver,
    ):
        hook = await subscribe(gateway, tenant, receiver.url, ["points.earned", "member.enrolled"])
        receiver.secret = hook["secret"]
        wanted = {await publish(stream, tenant, "points.earned", earned(n)) for n in (5, 10, 15)}
        for _ in range(2):
            enrolled = member_pb.MemberEnrolled(member_id=new_id("m_"), channel="pos")
            wanted.add(await publish(stream, tenant, "member.enrolled", enrolled))
        redeemed = points_pb.PointsRedeemed(member_id=new_id("m_"), points=3)
        unwanted = {
            await publish(stream, tenant, "points.redeemed", redeemed),
            await publish(stream, other, "points.earned", earned(7)),
        }

        await eventually(lambda: receiver.event_ids() >= wanted, within=60)
        log = await settled(
            lambda: deliveries(gateway, hook),
            lambda found: len(found) == 5 and all(d["status"] == "delivered" for d in found),
        )

        assert receiver.event_ids() == wanted
        assert not receiver.event_ids() & unwanted
        assert receiver.unsigned == 0
        assert receiver.answered[500] == 2
        assert len(set(receiver.handled)) == 5
        assert sum(d["attempts"] for d in log) >= 5 + 3
        amounts = sorted(
            p["data"]["points"] for p in receiver.handled.values() if p["type"] == "points.earned"
        )
        assert amounts == [5, 10, 15]


async def test_a_replay_delivers_one_delivery_again_with_its_webhook_id(
    make_settings: SettingsFactory, webhook_settings: dict[str, Any], stream: NatsConnector
) -> None:
    tenant = new_tenant()
    async with (
        running_gateway(make_settings(**webhook_settings)) as gateway,
        receiving(Receiver()) as receiver,
    ):
        hook = await subscribe(gateway, tenant, receiver.url, ["points.earned"])
        receiver.secret = hook["secret"]
        await publish(stream, tenant, "points.earned", earned(20))
        await publish(stream, tenant, "points.earned", earned(30))
        await eventually(lambda: len(receiver.handled) == 2, within=30)
        first = (await deliveries(gateway, hook))[-1]
        path = f"{HOOKS}/{hook['webhook']['endpoint_id']}/deliveries/{first['delivery_id']}/replay"

        replayed = await gateway.client.post(path, headers=hook["headers"])

        assert replayed.status_code == 202, replayed.text
        await eventually(lambda: receiver.arrivals.count(first["delivery_id"]) == 2, within=30)
        start = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
        end = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
        ranged = await gateway.client.post(
            f"{HOOKS}/{hook['webhook']['endpoint_id']}/replay",
            json={"start": start, "end": end},
            headers=hook["headers"],
        )
        assert ranged.status_code == 202, ranged.text
        assert ranged.json()["replayed"] == 2
        await eventually(lambda: len(receiver.arrivals) == 5, within=30)


async def test_another_tenants_slow_endpoint_does_not_hold_up_this_tenants_deliveries(
    make_settings: SettingsFactory, webhook_settings: dict[str, Any], stream: NatsConnector
) -> None:
    release = asyncio.Event()

    async def held(_: int) -> int:
        await release.wait()
        return 200

    slow_tenant, tenant = new_tenant(), new_tenant()
    settings = {**webhook_settings, "webhook_timeout_seconds": 30.0, "webhook_max_in_flight": 8}
    async with (
        running_gateway(make_settings(**settings)) as gateway,
        receiving(Receiver(held)) as slow,
        receiving(Receiver()) as fast,
    ):
        slow_hook = await subscribe(gateway, slow_tenant, slow.url, ["points.earned"])
        slow.secret = slow_hook["secret"]
        hook = await subscribe(gateway, tenant, fast.url, ["points.earned"])
        fast.secret = hook["secret"]
        for n in range(20):
            await publish(stream, slow_tenant, "points.earned", earned(n + 1))
        await eventually(lambda: slow.open >= 1, within=30)
        wanted = {await publish(stream, tenant, "points.earned", earned(n + 1)) for n in range(5)}

        await eventually(lambda: fast.event_ids() == wanted, within=60)

        assert len(slow.handled) == 0  # the slow tenant's endpoint has finished nothing yet
        assert slow.most_open <= 4  # and never had more than its limit at once
        recorded = await deliveries(gateway, slow_hook)
        assert len(recorded) == 20  # its events are recorded all the same: the stream moved on
        release.set()
        await eventually(lambda: len(slow.handled) == 20, within=90)


async def test_a_delivery_that_never_succeeds_is_failed_after_its_retry_window(
    make_settings: SettingsFactory, webhook_settings: dict[str, Any], stream: NatsConnector
) -> None:
    async def broken(_: int) -> int:
        return 503

    settings = {**webhook_settings, "webhook_retry_window_hours": 2 / 3600}
    tenant = new_tenant()
    async with (
        running_gateway(make_settings(**settings)) as gateway,
        receiving(Receiver(broken)) as receiver,
    ):
        hook = await subscribe(gateway, tenant, receiver.url, ["points.earned"])
        receiver.secret = hook["secret"]
        await publish(stream, tenant, "points.earned", earned(9))

        log = await settled(
            lambda: deliveries(gateway, hook),
            lambda found: len(found) == 1 and found[0]["status"] == "failed",
        )

        assert log[0]["attempts"] >= 2
        assert log[0]["last_status_code"] == 503
        assert log[0]["recent_attempts"][-1]["error"] == "status_503"


async def test_an_endpoint_on_a_private_address_is_refused(gateway: Gateway) -> None:
    operator = await gateway.key(new_tenant(), "operator")
    for url in ("https://10.0.0.8/hook", "https://169.254.169.254/", "http://erp.example.com/"):
        answer = await gateway.client.post(
            HOOKS, json={"url": url, "event_types": ["points.earned"]}, headers=operator
        )
        assert answer.status_code == 422, url
        assert answer.json()["code"] == "webhook_url_refused"
        assert answer.json()["errors"][0]["location"] == "body.url"


async def test_the_secret_is_shown_once_and_rotation_shows_a_new_one(gateway: Gateway) -> None:
    tenant = new_tenant()
    hook = await subscribe(gateway, tenant, "https://erp.example.com/hook", ["coupon.issued"])
    endpoint_id = hook["webhook"]["endpoint_id"]
    listed = await gateway.client.get(HOOKS, headers=hook["headers"])
    rotated = await gateway.client.post(f"{HOOKS}/{endpoint_id}/rotate", headers=hook["headers"])

    assert hook["secret"].startswith("whsec_")
    assert hook["secret"] not in listed.text
    assert [w["endpoint_id"] for w in listed.json()["webhooks"]] == [endpoint_id]
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["secret"] != hook["secret"]
    assert rotated.json()["webhook"]["previous_secret_until"] is not None


async def test_an_endpoint_is_updated_disabled_and_deleted(gateway: Gateway) -> None:
    tenant = new_tenant()
    hook = await subscribe(gateway, tenant, "https://erp.example.com/hook", ["points.earned"])
    path = f"{HOOKS}/{hook['webhook']['endpoint_id']}"
    headers = hook["headers"]

    patched = await gateway.client.patch(
        path, json={"event_types": ["points.expired", "points.earned"]}, headers=headers
    )
    disabled = await gateway.client.post(f"{path}/disable", headers=headers)
    deleted = await gateway.client.delete(path, headers=headers)
    gone = await gateway.client.get(path, headers=headers)

    assert patched.json()["event_types"] == ["points.earned", "points.expired"]
    assert disabled.json()["enabled"] is False
    assert deleted.status_code == 204
    assert gone.status_code == 404
    assert gone.json()["code"] == "webhook_not_found"


async def test_another_tenants_webhook_is_not_found(gateway: Gateway) -> None:
    hook = await subscribe(gateway, new_tenant(), "https://erp.example.com/h", ["points.earned"])
    stranger = await gateway.key(new_tenant(), "operator")
    path = f"{HOOKS}/{hook['webhook']['endpoint_id']}"

    assert (await gateway.client.get(path, headers=stranger)).status_code == 404
    assert (await gateway.client.get(f"{path}/deliveries", headers=stranger)).status_code == 404


async def test_an_unknown_event_type_is_a_validation_error(gateway: Gateway) -> None:
    operator = await gateway.key(new_tenant(), "operator")
    answer = await gateway.client.post(
        HOOKS,
        json={"url": "https://erp.example.com/h", "event_types": ["member.phone_changed"]},
        headers=operator,
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "validation_error"


async def test_a_webhook_secret_is_never_kept_for_an_idempotent_replay(gateway: Gateway) -> None:
    operator = await gateway.key(new_tenant(), "operator")
    body = {"url": "https://erp.example.com/hook", "event_types": ["points.earned"]}
    headers = {**operator, "Idempotency-Key": new_id("idem-")}

    created = await gateway.client.post(HOOKS, json=body, headers=headers)
    kept = [doc async for doc in gateway.container.db["idempotency"].find({})]

    assert created.status_code == 201
    assert created.json()["secret"] not in repr(kept)
