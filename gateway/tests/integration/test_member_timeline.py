"""Members' timelines in the gateway: real NATS (events published as the outbox relays do),
a real MongoDB-protocol server, fake services for the members."""

from __future__ import annotations

from typing import Any

from gateway.contact.timeline.recorder import TimelineRecorder
from gateway.contact.timeline.worker import timeline_store
from gateway.tests.integration.stream import publish
from gateway.tests.integration.support import (
    Gateway,
    SettingsFactory,
    new_phone,
    new_tenant,
    running_gateway,
)
from libs.ids import new_id
from libs.nats import STREAM_NAME, NatsConnector
from loyalty.member.v1 import events_pb2 as member_pb
from loyalty.points.v1 import events_pb2 as points_pb
from tests.support.polling import settled


async def enrolled(gateway: Gateway, tenant: str, store_id: str = "S001") -> str:
    pos = await gateway.key(tenant, "pos")
    body = {"store_id": store_id, "identities": [{"type": "phone", "value": new_phone()}]}
    made = await gateway.client.post("/v1/members", json=body, headers=pos)
    assert made.status_code == 201, made.text
    member_id: str = made.json()["member_id"]
    return member_id


def earned(member_id: str, points: int, store_id: str = "S001") -> points_pb.PointsEarned:
    return points_pb.PointsEarned(
        member_id=member_id,
        points=points,
        order_id=new_id("o_"),
        channel="pos",
        store_id=store_id,
        total=f"{points}.00",
        currency="CNY",
    )


async def timeline(
    gateway: Gateway, headers: dict[str, str], member_id: str, **params: Any
) -> dict[str, Any]:
    path = f"/v1/admin/members/{member_id}/timeline"
    answer = await gateway.client.get(path, params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    page: dict[str, Any] = answer.json()
    return page


def kinds(page: dict[str, Any]) -> list[str]:
    return [entry["kind"] for entry in page["entries"]]


async def test_a_redelivered_batch_puts_each_event_on_the_timeline_once(
    gateway: Gateway, stream: NatsConnector
) -> None:
    tenant = new_tenant()
    admin = await gateway.key(tenant, "operator")
    member_id = await enrolled(gateway, tenant)
    for points in (10, 20):
        await publish(stream, tenant, "points.earned", earned(member_id, points))
    js = await stream.jetstream()
    pull = await js.pull_subscribe(
        f"loyalty.{tenant}.>", durable=f"t{new_id()}", stream=STREAM_NAME
    )
    messages = await pull.fetch(2, timeout=10)
    recorder = TimelineRecorder(timeline_store(gateway.container.db))

    await recorder.batch(messages)
    await recorder.batch(messages)  # as after a crash before the acknowledgements
    await recorder(messages[0])  # and one by one, as after a failed batch

    page = await timeline(gateway, admin, member_id)
    assert kinds(page) == ["purchase", "purchase"]
    assert [e["details"]["points"] for e in page["entries"]] == [20, 10]
    await pull.unsubscribe()


async def test_a_survivors_timeline_holds_the_merged_members_history_also_what_came_late(
    make_settings: SettingsFactory, nats_url: str, stream: NatsConnector
) -> None:
    tenant = new_tenant()
    async with running_gateway(make_settings(nats_url=nats_url, timeline_worker=True)) as gateway:
        admin = await gateway.key(tenant, "operator")
        survivor, merged = await enrolled(gateway, tenant), await enrolled(gateway, tenant)
        await publish(stream, tenant, "points.earned", earned(merged, 5))
        merge = member_pb.MemberMerged(survivor_id=survivor, merged_id=merged)
        await publish(stream, tenant, "member.merged", merge)
        await publish(stream, tenant, "points.earned", earned(merged, 7, "S002"))
        await publish(stream, tenant, "points.earned", earned(survivor, 9))

        page = await settled(
            lambda: timeline(gateway, admin, survivor),
            lambda found: len(found["entries"]) == 4,
        )

        assert sorted(kinds(page)) == ["merge", "purchase", "purchase", "purchase"]
        assert {e["member_id"] for e in page["entries"]} == {survivor, merged}
        at_s002 = await timeline(gateway, admin, survivor, store="S002")
        assert [e["details"]["points"] for e in at_s002["entries"]] == [7]
        merges = await timeline(gateway, admin, survivor, kind="merge")
        assert merges["entries"][0]["details"] == {"merged_id": merged}


async def test_pages_of_one_walk_the_whole_timeline_once(
    make_settings: SettingsFactory, nats_url: str, stream: NatsConnector
) -> None:
    tenant = new_tenant()
    async with running_gateway(make_settings(nats_url=nats_url, timeline_worker=True)) as gateway:
        admin = await gateway.key(tenant, "operator")
        member_id = await enrolled(gateway, tenant)
        for points in (1, 2, 3):
            await publish(stream, tenant, "points.earned", earned(member_id, points))
        await settled(
            lambda: timeline(gateway, admin, member_id),
            lambda found: len(found["entries"]) == 3,
        )

        seen: list[int] = []
        cursor: str | None = None
        for _ in range(4):
            params: dict[str, Any] = {"limit": 1} | ({"cursor": cursor} if cursor else {})
            page = await timeline(gateway, admin, member_id, **params)
            seen += [e["details"]["points"] for e in page["entries"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break

        assert seen == [3, 2, 1]


async def test_erasure_takes_the_text_of_notes_and_feedback_off_the_timeline_and_the_inbox(
    make_settings: SettingsFactory, nats_url: str, stream: NatsConnector
) -> None:
    tenant = new_tenant()
    async with running_gateway(make_settings(nats_url=nats_url, timeline_worker=True)) as gateway:
        admin = await gateway.key(tenant, "operator")
        member_id = await enrolled(gateway, tenant)
        note = await gateway.client.post(
            f"/v1/admin/members/{member_id}/notes",
            json={"text": "Asked to call back on 13800000000"},
            headers=admin,
        )
        assert note.status_code == 201, note.text
        member = await gateway.member_token(tenant, member_id)
        given = await gateway.client.post(
            f"/v1/members/{member_id}/feedback",
            json={"kind": "complaint", "category": "service", "comment": "Rude at the till"},
            headers=member,
        )
        assert given.status_code == 201, given.text
        before = await timeline(gateway, admin, member_id)
        assert sorted(kinds(before)) == ["feedback", "note"]

        await publish(stream, tenant, "member.erased", member_pb.MemberErased(member_id=member_id))

        after = await settled(
            lambda: timeline(gateway, admin, member_id),
            lambda found: all(e["erased"] for e in found["entries"]),
        )
        texts = [e["details"].get(k) for e in after["entries"] for k in ("text", "comment")]
        assert texts == [None] * 4
        inbox = await gateway.client.get("/v1/admin/feedback", headers=admin)
        assert [f.get("comment") for f in inbox.json()["feedback"]] == [None]
        assert inbox.json()["feedback"][0]["category"] == "service"
