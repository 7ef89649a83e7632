"""POST /v1/admin/points/reconciliation: the caller's tenant's drifting members."""

from __future__ import annotations

from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.support import Gateway, new_tenant
from loyalty.points.v1 import points_pb2 as pb

PATH = "/v1/admin/points/reconciliation"


async def test_an_operator_reconciles_only_their_own_tenant(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant, other = new_tenant(), new_tenant()
    services.points.drifting[other] = [pb.DriftingMember(member_id="m1", problems=["held 5 != 0"])]

    mine = await gateway.client.post(PATH, headers=await gateway.key(tenant, "operator"))
    theirs = await gateway.client.post(PATH, headers=await gateway.key(other, "operator"))

    assert (mine.status_code, mine.json()) == (200, {"drifting": []})
    assert theirs.json() == {"drifting": [{"member_id": "m1", "problems": ["held 5 != 0"]}]}


async def test_a_till_may_not_reconcile(gateway: Gateway) -> None:
    answer = await gateway.client.post(
        PATH, headers=await gateway.key(new_tenant(), "pos", store_id="S001")
    )

    assert (answer.status_code, answer.json()["code"]) == (403, "forbidden")
