"""GET /v1/admin/orders/{order_id} against the fake points service: the campaigns applied
and skipped with readable reasons, who may read it, and 404 across tenants."""

from __future__ import annotations

from gateway.points.skip_reasons import SKIP_REASONS
from gateway.tests.integration.fake_points_orders import Evaluated
from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.points_support import an_order, enrolled
from gateway.tests.integration.support import Gateway, new_tenant
from loyalty.points.v1 import points_pb2 as pb


async def a_credited_order(gateway: Gateway, tenant_id: str, store_id: str = "S001") -> str:
    till = await gateway.key(tenant_id, "pos")
    order = an_order(await enrolled(gateway, till), store_id=store_id)
    answer = await gateway.client.post("/v1/orders", json=order, headers=till)
    assert answer.status_code == 201, answer.text
    order_id: str = order["order_id"]
    return order_id


async def operator(
    gateway: Gateway, tenant_id: str, role: str, store_id: str | None = None
) -> dict[str, str]:
    issued = await gateway.container.keys.create_key(
        tenant_id, "operator", role=role, store_id=store_id
    )
    return {"Authorization": f"Bearer {issued.secret}"}


async def test_an_order_shows_its_campaigns_applied_and_skipped_with_codes_and_text(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant_id = new_tenant()
    order_id = await a_credited_order(gateway, tenant_id)
    services.points.evaluations[(tenant_id, order_id)] = Evaluated(
        applied=(
            pb.AppliedCampaign(campaign_id="c-shoes", campaign_version=2, points=50, kind="points"),
        ),
        skipped=(
            pb.SkippedCampaign(campaign_id="c-big", campaign_version=3, reason="min_total"),
            pb.SkippedCampaign(
                campaign_id="c-solo", campaign_version=1, reason="excluded_by:c-vip"
            ),
        ),
    )

    answer = await gateway.client.get(
        f"/v1/admin/orders/{order_id}", headers=await operator(gateway, tenant_id, "support")
    )

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["order_id"], body["channel"], body["store_id"], body["total"]) == (
        order_id,
        "pos",
        "S001",
        "398.00",
    )
    assert [(a["campaign_id"], a["points"], a["kind"]) for a in body["applied"]] == [
        ("c-shoes", 50, "points")
    ]
    assert body["skipped"] == [
        {
            "campaign_id": "c-big",
            "campaign_version": 3,
            "reason": "min_total",
            "reason_text": "The order's total is below the campaign's minimum.",
            "excluded_by": None,
        },
        {
            "campaign_id": "c-solo",
            "campaign_version": 1,
            "reason": "excluded_by",
            "reason_text": SKIP_REASONS["excluded_by"],
            "excluded_by": "c-vip",
        },
    ]
    assert (body["bonus_pending"], body["returns"], body["points_reversed"]) == (False, [], 0)


async def test_a_store_manager_reads_the_orders_of_their_store_only(gateway: Gateway) -> None:
    tenant_id = new_tenant()
    theirs = await a_credited_order(gateway, tenant_id, "S001")
    elsewhere = await a_credited_order(gateway, tenant_id, "S002")
    manager = await operator(gateway, tenant_id, "store_manager", store_id="S001")

    mine = await gateway.client.get(f"/v1/admin/orders/{theirs}", headers=manager)
    other = await gateway.client.get(f"/v1/admin/orders/{elsewhere}", headers=manager)

    assert (mine.status_code, other.status_code) == (200, 403)
    assert other.json()["code"] == "forbidden"


async def test_an_order_of_another_tenant_or_none_is_not_found(gateway: Gateway) -> None:
    order_id = await a_credited_order(gateway, new_tenant())
    stranger = await operator(gateway, new_tenant(), "admin")

    for path in (f"/v1/admin/orders/{order_id}", "/v1/admin/orders/POS-nothing"):
        answer = await gateway.client.get(path, headers=stranger)
        assert answer.status_code == 404
        assert answer.json()["code"] == "order_not_found"


async def test_marketers_and_tills_may_not_read_an_order(gateway: Gateway) -> None:
    tenant_id = new_tenant()
    order_id = await a_credited_order(gateway, tenant_id)
    for headers in (
        await operator(gateway, tenant_id, "marketer"),
        await gateway.key(tenant_id, "pos", store_id="S001"),
    ):
        answer = await gateway.client.get(f"/v1/admin/orders/{order_id}", headers=headers)
        assert answer.status_code == 403
