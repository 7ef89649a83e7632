"""The seeded demo tier program names its tiers in Chinese too; other tenants' do not."""

from __future__ import annotations

from gateway.seed.data import TENANTS
from gateway.seed.run import seeded_tier_program


def chinese_names(tenant_id: str) -> dict[str, str]:
    tenant = next(t for t in TENANTS if t.tenant_id == tenant_id)
    program = seeded_tier_program(tenant).program
    return {
        tier.code: tier.translations["zh-CN"].fields["name"]
        for tier in program.tiers
        if "zh-CN" in tier.translations
    }


def test_the_demo_tenants_tiers_are_named_in_chinese() -> None:
    assert chinese_names("demo") == {"member": "普通会员", "silver": "银卡会员", "gold": "金卡会员"}


def test_the_sandbox_tenants_tiers_are_named_only_as_typed() -> None:
    assert chinese_names("sandbox") == {}
