"""A member's tier, and the next one, named in the reader's language from the tier
program's translations, beside the name as typed."""

from __future__ import annotations

from typing import Any

from gateway.tests.integration.support import Gateway, new_tenant
from gateway.tests.integration.test_member_merge import enrol


def tier(code: str, name: str, threshold: int, chinese: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "threshold": threshold,
        "multiplier": "1",
        "translations": {"zh-CN": {"name": chinese}},
    }


PROGRAM = {
    "tiers": [tier("member", "Member", 0, "普通会员"), tier("silver", "Silver", 1000, "银卡会员")],
    "qualifying_metric": "points_earned",
    "window_days": 365,
}


async def named_member(gateway: Gateway) -> tuple[dict[str, str], str]:
    tenant = new_tenant()
    operator = await gateway.key(tenant, "operator")
    put = await gateway.client.put("/v1/admin/tier-program", json=PROGRAM, headers=operator)
    assert put.status_code == 200, put.text
    app = await gateway.legacy_key(tenant, "app")
    return app, await enrol(gateway, app)


async def test_a_members_tier_is_named_in_chinese_for_a_chinese_reader(gateway: Gateway) -> None:
    app, member_id = await named_member(gateway)
    chinese = {**app, "Accept-Language": "zh-CN"}

    member = await gateway.client.get(f"/v1/members/{member_id}", headers=chinese)
    progress = await gateway.client.get(f"/v1/members/{member_id}/tier-progress", headers=chinese)

    assert member.status_code == progress.status_code == 200, (member.text, progress.text)
    assert member.headers["content-language"] == progress.headers["content-language"] == "zh-CN"
    assert member.json()["tier"]["name"] == "Member"
    assert member.json()["tier"]["localized"] == {"name": "普通会员"}
    assert progress.json()["tier"]["localized"] == {"name": "普通会员"}
    assert progress.json()["next_tier"]["localized"] == {"name": "银卡会员"}


async def test_a_members_tier_reads_as_typed_for_a_reader_of_the_default_language(
    gateway: Gateway,
) -> None:
    app, member_id = await named_member(gateway)
    english = {**app, "Accept-Language": "en"}

    member = await gateway.client.get(f"/v1/members/{member_id}", headers=english)
    progress = await gateway.client.get(f"/v1/members/{member_id}/tier-progress", headers=english)

    assert member.headers["content-language"] == "en"
    assert member.json()["tier"]["localized"] == {"name": "Member"}
    assert progress.json()["next_tier"]["localized"] == {"name": "Silver"}


async def test_a_tenant_without_a_tier_program_names_the_tier_as_typed(gateway: Gateway) -> None:
    app = await gateway.legacy_key(new_tenant(), "app")
    member_id = await enrol(gateway, app)

    member = await gateway.client.get(
        f"/v1/members/{member_id}", headers={**app, "Accept-Language": "zh-CN"}
    )

    assert member.status_code == 200, member.text
    assert member.json()["tier"]["localized"] == {"name": "Member"}
