"""The platform API's pure parts: who a platform administrator is to the matrix and the
audit trail, and what its bodies take."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from gateway.access.permissions import principal_of
from gateway.edge.audit.trail import actor_of
from gateway.matrix import MATRIX
from gateway.tenancy.platform_admins import (
    PLATFORM_TRAIL,
    PlatformAdmin,
    is_platform_secret,
    platform_caller,
)
from gateway.tenancy.tenants import Tenant
from gateway.tenants.platform_bodies import NewTenantBody, TenantChangesBody

ADMIN = PlatformAdmin("pa_1", "on-call", datetime.now(UTC))


def a_body(**changes: Any) -> dict[str, Any]:
    return {
        "tenant_id": "acme",
        "name": "Acme",
        "default_region": "CN",
        "time_zone": "Asia/Shanghai",
        "currency": "CNY",
        **changes,
    }


def test_a_platform_administrator_is_the_platform_principal_on_the_platform_rows_only() -> None:
    caller = platform_caller(ADMIN)
    principal = principal_of(caller)
    opened = [route for route, rule in MATRIX.items() if rule.permits(principal, caller.scopes)]

    assert principal == "platform"
    assert caller.tenant_id == PLATFORM_TRAIL
    assert opened
    assert all(path.startswith("/v1/platform/") or MATRIX[(m, path)].public for m, path in opened)


def test_the_audit_trail_names_a_platform_administrator_as_such() -> None:
    actor = actor_of("pa_1", "platform")

    assert (actor.kind, actor.id, actor.role) == ("platform", "pa_1", "platform")
    assert actor_of("op_1", "support").kind == "operator"
    assert actor_of("key_1", None).kind == "key"


def test_only_a_platform_secret_is_one() -> None:
    assert is_platform_secret("lp_platform_abc")
    assert not is_platform_secret("lk_operator_abc")
    assert not is_platform_secret("lo_session")


def test_a_new_tenant_needs_its_record_and_takes_stores_with_their_own_time_zones() -> None:
    body = NewTenantBody.model_validate(
        a_body(stores=[{"store_id": "HK01", "time_zone": "Asia/Hong_Kong"}, {"store_id": "SH01"}])
    )

    assert [(s.store_id, s.time_zone) for s in body.stores] == [
        ("HK01", "Asia/Hong_Kong"),
        ("SH01", None),
    ]
    assert body.languages is None


@pytest.mark.parametrize(
    ("field", "value", "error_type"),
    [
        ("tenant_id", "_platform", "string_pattern_mismatch"),
        ("tenant_id", "Acme", "string_pattern_mismatch"),
        ("time_zone", "Mars/Olympus", "time_zone"),
        ("languages", ["en", "en"], "duplicate"),
        ("languages", [], "too_short"),
        ("languages", ["fr"], "literal_error"),
        ("stores", [{"store_id": "S1"}, {"store_id": "S1"}], "duplicate"),
        ("point_value", {"amount": "0.0000001", "currency": "CNY"}, "string_pattern_mismatch"),
        ("point_value", {"amount": 0.01, "currency": "CNY"}, "string_type"),
        ("web_origins", ["https://shop.example/path"], "string_pattern_mismatch"),
    ],
)
def test_a_new_tenant_refuses_a_bad_field(field: str, value: object, error_type: str) -> None:
    with pytest.raises(ValidationError) as refused:
        NewTenantBody.model_validate(a_body(**{field: value}))

    assert error_type in {error["type"] for error in refused.value.errors()}


def test_a_change_may_not_touch_the_id_or_the_base_currency() -> None:
    with pytest.raises(ValidationError) as refused:
        TenantChangesBody.model_validate({"tenant_id": "other", "currency": "USD"})

    assert {error["type"] for error in refused.value.errors()} == {"extra_forbidden"}


def test_a_store_without_its_own_time_zone_is_in_the_tenants() -> None:
    tenant = Tenant(
        "acme",
        "Acme",
        ("SH01", "HK01"),
        "CN",
        "Asia/Shanghai",
        "CNY",
        store_time_zones={"HK01": "Asia/Hong_Kong"},
    )

    assert tenant.store_time_zone("HK01") == "Asia/Hong_Kong"
    assert tenant.store_time_zone("SH01") == "Asia/Shanghai"
