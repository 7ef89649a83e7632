from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import Any

import pytest

from gateway.admin.cli import parser
from gateway.admin.commands import CommandError, execute
from gateway.settings import GatewaySettings
from gateway.tests.integration.support import SettingsFactory, new_tenant, running_gateway


async def admin(settings: GatewaySettings, *argv: str, stdin: str = "") -> Any:
    out = io.StringIO()
    await execute(parser().parse_args(argv), settings, out, io.StringIO(stdin))
    return json.loads(out.getvalue())


@pytest.fixture
def settings(make_settings: SettingsFactory) -> GatewaySettings:
    return make_settings()


async def test_keys_are_created_listed_rotated_and_revoked_from_the_cli(
    settings: GatewaySettings,
) -> None:
    tenant = new_tenant()

    created = await admin(
        settings, "keys", "create", "--tenant", tenant, "--channel", "pos", "--store", "S001"
    )
    key_id = created["key"]["key_id"]
    rotated = await admin(settings, "keys", "rotate", "--tenant", tenant, key_id)
    revoked = await admin(settings, "keys", "revoke", "--tenant", tenant, key_id)
    listed = await admin(settings, "keys", "list", "--tenant", tenant)

    assert created["secret"].startswith("lk_pos_")
    assert created["key"]["store_id"] == "S001"
    assert rotated["secret"] != created["secret"]
    assert revoked["status"] == "revoked"
    assert [k["key_id"] for k in listed["keys"]] == [key_id]
    assert created["secret"] not in json.dumps(listed)


async def test_an_impossible_request_is_an_error_with_its_reason(
    settings: GatewaySettings,
) -> None:
    with pytest.raises(CommandError, match="only pos keys"):
        await admin(
            settings, "keys", "create", "--tenant", new_tenant(), "--channel", "app",
            "--store", "S001",
        )  # fmt: skip
    with pytest.raises(CommandError, match="no live key"):
        await admin(settings, "keys", "rotate", "--tenant", new_tenant(), "key_unknown")


async def test_a_tenants_limits_and_origins_are_configured_from_the_cli(
    settings: GatewaySettings,
) -> None:
    tenant = new_tenant()

    await admin(settings, "tenants", "configure", "--tenant", tenant, "--key-burst", "7")
    configured = await admin(
        settings, "tenants", "configure", "--tenant", tenant,
        "--tenant-per-second", "9", "--cors-origin", "https://m.example",
    )  # fmt: skip

    limits = configured["rate_limits"]
    assert limits["per_key"] == {"per_second": settings.rate_limit_key_per_second, "burst": 7}
    assert limits["per_tenant"]["per_second"] == 9
    assert configured["cors_origins"] == ["https://m.example"]


def test_every_command_explains_itself_with_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gateway.admin", "keys", "rotate", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    root = parser().format_help()

    assert done.returncode == 0, done.stderr
    assert "usage: python -m gateway.admin keys rotate" in done.stdout
    assert all(command in root for command in ("keys", "operators", "tenants"))


async def test_an_operator_is_created_with_a_password_from_stdin_and_can_sign_in(
    settings: GatewaySettings,
) -> None:
    tenant = new_tenant()

    created = await admin(
        settings, "operators", "create", "--tenant", tenant, "--email", "Li@Brand.example",
        "--role", "store_manager", "--stores", "S001", "--password-stdin",
        stdin="a long enough password\n",
    )  # fmt: skip
    listed = await admin(settings, "operators", "list", "--tenant", tenant)
    async with running_gateway(settings) as gateway:
        signed_in = await gateway.client.post(
            "/v1/auth/sessions",
            json={
                "tenant_id": tenant,
                "email": "li@brand.example",
                "password": "a long enough password",
            },
        )

    assert (created["email"], created["role"], created["stores"]) == (
        "li@brand.example",
        "store_manager",
        ["S001"],
    )
    assert [o["operator_id"] for o in listed["operators"]] == [created["operator_id"]]
    assert signed_in.status_code == 201


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        (["--role", "admin"], "at least 12"),
        (["--role", "store_manager"], "one store or more"),
        (["--role", "marketer", "--stores", "S001"], "only a store_manager"),
    ],
)
async def test_a_short_password_or_a_wrong_store_binding_is_refused(
    settings: GatewaySettings, extra: list[str], reason: str
) -> None:
    password = "short\n" if reason == "at least 12" else "a long enough password\n"
    argv = ["operators", "create", "--tenant", new_tenant(), "--email", "a@b.example"]

    with pytest.raises(CommandError, match=reason):
        await admin(settings, *argv, *extra, "--password-stdin", stdin=password)


async def test_an_operator_is_disabled_enabled_and_signed_out_from_the_cli(
    settings: GatewaySettings,
) -> None:
    tenant = new_tenant()
    created = await admin(
        settings, "operators", "create", "--tenant", tenant, "--email", "zhao@brand.example",
        "--role", "support", "--password-stdin", stdin="a long enough password\n",
    )  # fmt: skip
    login = {
        "tenant_id": tenant,
        "email": "zhao@brand.example",
        "password": "a long enough password",
    }
    operator_id = created["operator_id"]
    async with running_gateway(settings) as gateway:
        session = await gateway.client.post("/v1/auth/sessions", json=login)
        token = {"Authorization": f"Bearer {session.json()['token']}"}
        ended = await admin(settings, "operators", "end-sessions", "--tenant", tenant, operator_id)
        after_end = await gateway.client.get("/v1/admin/whoami", headers=token)
        disabled = await admin(settings, "operators", "disable", "--tenant", tenant, operator_id)
        refused = await gateway.client.post("/v1/auth/sessions", json=login)
        enabled = await admin(settings, "operators", "enable", "--tenant", tenant, operator_id)
        again = await gateway.client.post("/v1/auth/sessions", json=login)

    assert ended == {"operator_id": operator_id, "sessions_ended": 1}
    assert after_end.status_code == 401
    assert (disabled["disabled"], disabled["sessions_ended"]) == (True, 0)
    assert refused.status_code == 401
    assert enabled["disabled"] is False
    assert again.status_code == 201
    with pytest.raises(CommandError, match="no operator"):
        await admin(settings, "operators", "disable", "--tenant", new_tenant(), operator_id)
