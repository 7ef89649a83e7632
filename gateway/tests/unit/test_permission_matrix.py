from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI

from gateway.access.permissions import (
    PRINCIPALS,
    TOUCHPOINTS,
    allow,
    markdown_table,
    principal_of,
    rule_for,
)
from gateway.app import create_app
from gateway.matrix import MATRIX
from gateway.settings import GatewaySettings
from gateway.tenancy.keys import ApiKey, Channel
from gateway.tenancy.platform_admins import PLATFORM
from gateway.tests.routes import app_routes

DOCS = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"


@pytest.fixture
def gateway_app() -> FastAPI:
    """The app as served: the shared `app` fixture adds test-only routes."""
    unused = "127.0.0.1:1"
    settings = GatewaySettings(
        mongo_url=f"mongodb://{unused}",
        redis_url=f"redis://{unused}",
        nats_url=f"nats://{unused}",
        member_addr=unused,
        points_addr=unused,
        campaign_addr=unused,
    )
    return create_app(settings)


def caller(channel: Channel, role: str | None = None) -> ApiKey:
    return ApiKey("key_1", "t", channel, frozenset(), datetime.now(UTC), role=role)


def test_every_route_of_the_app_has_an_entry_in_the_matrix(gateway_app: FastAPI) -> None:
    missing = [route for route in app_routes(gateway_app) if route not in MATRIX]

    assert missing == [], "add rows for these routes to their slice's permissions.py"


def test_every_entry_of_the_matrix_is_a_route_of_the_app(gateway_app: FastAPI) -> None:
    routes = set(app_routes(gateway_app))

    assert [entry for entry in MATRIX if entry not in routes] == []


def test_docs_permissions_md_shows_the_matrix_in_code() -> None:
    assert markdown_table(MATRIX) in DOCS.read_text(encoding="utf-8"), (
        "regenerate the table: python -m gateway.matrix"
    )


def test_a_touchpoint_key_is_its_channel_and_an_operator_its_role() -> None:
    assert principal_of(caller("pos")) == "pos"
    assert principal_of(caller("operator", "marketer")) == "marketer"
    assert principal_of(caller("operator")) == "admin"


def test_a_rule_with_a_scope_also_needs_the_key_to_carry_it() -> None:
    rule = allow("app", scope="members:write")

    assert rule.permits("app", frozenset({"members:write"}))
    assert not rule.permits("app", frozenset({"members:read"}))
    assert not rule.permits("pos", frozenset({"members:write"}))


def test_head_is_answered_like_get_and_unknown_routes_have_no_rule() -> None:
    assert rule_for(MATRIX, "HEAD", "/healthz") == rule_for(MATRIX, "GET", "/healthz")
    assert rule_for(MATRIX, "GET", "/v1/nowhere") is None


def test_a_rule_naming_an_unknown_principal_is_a_mistake() -> None:
    with pytest.raises(ValueError, match="unknown principals"):
        allow("admin", "cashier", scope=None)


def test_only_admins_manage_keys_and_auditors_only_read_the_audit_trail() -> None:
    create_key = MATRIX[("POST", "/v1/admin/keys")]
    keys = {p for p in PRINCIPALS if create_key.permits(p, frozenset({"admin"}))}
    auditor = [path for (method, path), rule in MATRIX.items() if "auditor" in rule.allowed]

    assert keys == {"admin"}
    assert "/v1/members/{member_id}/audit" in auditor
    assert not any(path.startswith("/v1/orders") for path in auditor)


def test_every_row_names_the_scope_a_key_needs_but_the_callers_own_credential() -> None:
    unscoped = {route for route, rule in MATRIX.items() if not rule.public and not rule.scope}

    assert unscoped == {
        ("GET", "/v1/admin/whoami"),
        ("DELETE", "/v1/auth/sessions/current"),
        ("DELETE", "/v1/member-sessions/current"),
        ("GET", "/v1/member-sessions/current"),
    }


def test_an_operator_only_route_needs_the_admin_scope() -> None:
    operator_only = [
        rule
        for rule in MATRIX.values()
        if rule.scope
        and not rule.public
        and not rule.allowed & set(TOUCHPOINTS)
        and rule.allowed != {PLATFORM}
    ]

    assert operator_only
    assert {rule.scope for rule in operator_only} == {"admin"}


def test_the_platform_api_is_the_platform_administrators_alone_and_nothing_else_is() -> None:
    platform_rows = {route for route, rule in MATRIX.items() if PLATFORM in rule.allowed}
    platform_paths = {route for route in MATRIX if route[1].startswith("/v1/platform/")}

    assert platform_rows == platform_paths
    assert len(platform_rows) == 7
    assert all(MATRIX[route].allowed == {PLATFORM} for route in platform_rows)
    assert all(MATRIX[route].scope == PLATFORM for route in platform_rows)
