"""A tenant's branding: its admin sets the name, colour and logo (API and CLI), anyone reads
them without a key (the member centre, before sign-in), and nothing else of the tenant."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from gateway.admin.commands import CommandError
from gateway.settings import GatewaySettings
from gateway.tenancy.tenants import Tenant
from gateway.tenants.bodies import EXAMPLE_LOGO
from gateway.tests.integration.support import Gateway, SettingsFactory, new_tenant
from gateway.tests.integration.test_admin_cli import admin

pytestmark = pytest.mark.integration

BRANDING = {"display_name": "Blue Shop", "colour": "#123ABC", "logo": EXAMPLE_LOGO}


async def a_tenant(gateway: Gateway) -> str:
    tenant = new_tenant()
    await gateway.container.tenants.upsert(Tenant(tenant, "Brand", ("S001",), "CN", "UTC", "CNY"))
    return tenant


async def test_an_admin_sets_the_branding_and_anyone_reads_it_without_a_key(
    gateway: Gateway,
) -> None:
    tenant = await a_tenant(gateway)
    admin_key = await gateway.key(tenant, "operator")

    before = await gateway.client.get(f"/v1/tenants/{tenant}/branding")
    put = await gateway.client.put("/v1/admin/branding", json=BRANDING, headers=admin_key)
    read = await gateway.client.get("/v1/admin/branding", headers=admin_key)
    after = await gateway.client.get(f"/v1/tenants/{tenant}/branding")

    assert before.json() == {
        "tenant_id": tenant,
        "display_name": "Brand",
        "colour": None,
        "logo": None,
    }
    assert put.status_code == 200, put.text
    assert read.json() == {"tenant_id": tenant, **BRANDING}
    assert after.json() == {"tenant_id": tenant, **BRANDING}
    assert after.headers["cache-control"] == "public, max-age=60"


@pytest.mark.parametrize(
    "body",
    [
        {"colour": "blue"},
        {"colour": "#12345"},
        {"logo": "https://cdn.example/logo.png"},
        {"logo": "data:text/html;base64,PGI+aGk8L2I+"},
        {"logo": "data:image/png;base64," + "A" * 40_000},
        {"display_name": ""},
        {"tagline": "extra fields are refused"},
    ],
)
async def test_a_malformed_branding_is_422_and_changes_nothing(
    gateway: Gateway, body: dict[str, str]
) -> None:
    tenant = await a_tenant(gateway)
    admin_key = await gateway.key(tenant, "operator")
    await gateway.client.put("/v1/admin/branding", json=BRANDING, headers=admin_key)

    refused = await gateway.client.put("/v1/admin/branding", json=body, headers=admin_key)
    after = await gateway.client.get("/v1/admin/branding", headers=admin_key)

    assert (refused.status_code, refused.json()["code"]) == (422, "validation_error")
    assert after.json() == {"tenant_id": tenant, **BRANDING}


async def test_only_an_admin_sets_the_branding_and_an_unknown_tenant_has_none(
    gateway: Gateway,
) -> None:
    tenant = await a_tenant(gateway)
    marketer = await gateway.container.keys.create_key(tenant, "operator", role="marketer")

    refused = await gateway.client.put(
        "/v1/admin/branding",
        json=BRANDING,
        headers={"Authorization": f"Bearer {marketer.secret}"},
    )
    unknown = await gateway.client.get(f"/v1/tenants/{new_tenant()}/branding")

    assert refused.status_code == 403
    assert (unknown.status_code, unknown.json()["code"]) == (404, "tenant_not_found")


async def test_the_branding_is_configured_from_the_cli_keeping_what_is_not_given(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    settings: GatewaySettings = make_settings()
    tenant = new_tenant()
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>')

    first = await admin(
        settings, "tenants", "configure", "--tenant", tenant, "--brand-name", "Blue Shop",
        "--brand-colour", "#123abc", "--brand-logo", str(logo),
    )  # fmt: skip
    second = await admin(settings, "tenants", "configure", "--tenant", tenant, "--clear-brand-logo")
    with pytest.raises(CommandError, match="colour"):
        await admin(settings, "tenants", "configure", "--tenant", tenant, "--brand-colour", "red")

    encoded = base64.b64encode(logo.read_bytes()).decode()
    assert first["branding"] == {
        "display_name": "Blue Shop",
        "colour": "#123abc",
        "logo": f"data:image/svg+xml;base64,{encoded}",
    }
    assert second["branding"] == {"display_name": "Blue Shop", "colour": "#123abc", "logo": None}
