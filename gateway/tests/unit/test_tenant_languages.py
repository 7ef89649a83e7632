"""A tenant's languages, its default first: its setting, else by its default region."""

from __future__ import annotations

from gateway.tenancy.tenants import Tenant, languages_of

CN = Tenant("t1", "Brand", ("S001",), "CN", "Asia/Shanghai", "CNY")


def test_a_tenants_own_languages_come_first() -> None:
    assert languages_of(Tenant("t2", "B", (), "CN", "UTC", "CNY", ("en", "zh-CN"))) == (
        "en",
        "zh-CN",
    )


def test_a_tenant_without_a_setting_writes_in_its_regions_language() -> None:
    assert languages_of(CN) == ("zh-CN", "en")
    assert languages_of(Tenant("t3", "B", (), "SG", "UTC", "SGD")) == ("en", "zh-CN")


def test_an_unknown_tenant_gets_the_platforms_languages_english_first() -> None:
    assert languages_of(None) == ("en", "zh-CN")
