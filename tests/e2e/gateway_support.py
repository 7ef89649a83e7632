"""Callers of the running platform for the gateway's end-to-end tests: the seeded keys,
store-bound keys, and operators made with `python -m gateway.admin` and signed in."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import httpx
import pytest

from libs.stack.platform import Stack

Headers = dict[str, str]
SHANGHAI = timezone(timedelta(hours=8))


def key(stack: Stack, tenant: str, channel: str) -> Headers:
    return {"Authorization": f"Bearer {stack.credentials['tenants'][tenant][channel]}"}


def bearer(secret: str) -> Headers:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
async def http(platform_stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as client:
        yield client


def new_phone() -> str:
    return f"+86135{uuid4().int % 10**8:08d}"


def admin_cli(stack: Stack, *args: str, stdin: str = "") -> Any:
    """`python -m gateway.admin ...` with the gateway's configuration; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "gateway.admin", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=stack.apps["gateway"].env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def new_operator(
    stack: Stack, role: str, stores: Sequence[str] = (), tenant: str = "demo"
) -> dict[str, str]:
    """A new operator of `tenant`: the body that signs them in."""
    email = f"{role}-{uuid4().hex[:12]}@demo.example"
    password = secrets.token_urlsafe(18)
    args = ["operators", "create", "--tenant", tenant, "--email", email, "--role", role]
    if stores:
        args += ["--stores", ",".join(stores)]
    admin_cli(stack, *args, "--password-stdin", stdin=password + "\n")
    return {"tenant_id": tenant, "email": email, "password": password}


async def signed_in(http: httpx.AsyncClient, login: dict[str, str]) -> Headers:
    session = await http.post("/v1/auth/sessions", json=login)
    assert session.status_code == 201, session.text
    return bearer(session.json()["token"])


async def store_key(http: httpx.AsyncClient, operator: Headers, store_id: str) -> Headers:
    """A new pos key of the operator's tenant, bound to `store_id`."""
    made = await http.post(
        "/v1/admin/keys", json={"channel": "pos", "store_id": store_id}, headers=operator
    )
    assert made.status_code == 201, made.text
    return bearer(made.json()["secret"])


async def enrol(http: httpx.AsyncClient, headers: Headers, store_id: str = "S001") -> str:
    body = {"store_id": store_id, "identities": [{"type": "phone", "value": new_phone()}]}
    created = await http.post("/v1/members", json=body, headers=headers)
    assert created.status_code == 201, created.text
    member_id: str = created.json()["member_id"]
    return member_id


def an_order(member_id: str, store_id: str = "S001", total: str = "398.00") -> dict[str, Any]:
    return {
        "order_id": f"POS-{store_id}-{uuid4().hex}",
        "member_id": member_id,
        "channel": "pos",
        "store_id": store_id,
        "occurred_at": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
        "currency": "CNY",
        "total": total,
        "lines": [{"sku": "SHOE-1", "category": "shoes", "quantity": 1, "unit_price": total}],
    }


async def funded_member(http: httpx.AsyncClient, pos: Headers, store_id: str = "S001") -> str:
    """A member enrolled at `store_id` who earned there (398 points with the seeded rule)."""
    member_id = await enrol(http, pos, store_id)
    earned = await http.post("/v1/orders", json=an_order(member_id, store_id), headers=pos)
    assert earned.status_code == 201, earned.text
    return member_id


async def held(
    http: httpx.AsyncClient, headers: Headers, member_id: str, store_id: str, points: int = 100
) -> str:
    body = {"member_id": member_id, "points": points, "channel": "pos", "store_id": store_id}
    hold = await http.post("/v1/redemptions", json=body, headers=headers)
    assert hold.status_code == 201, hold.text
    redemption_id: str = hold.json()["redemption_id"]
    return redemption_id


async def member_session(http: httpx.AsyncClient, backend: Headers, member_id: str) -> Headers:
    """A member token for `member_id`, minted by the app's (or web shop's) backend with its
    channel key: what the member's phone or browser sends instead of the key."""
    opened = await http.post(f"/v1/members/{member_id}/sessions", headers=backend)
    assert opened.status_code == 201, opened.text
    return bearer(opened.json()["token"])


def new_key(stack: Stack, tenant: str, channel: str, *extra: str) -> Headers:
    """A new key of `tenant` (which need not exist yet), made with `python -m gateway.admin`."""
    issued = admin_cli(stack, "keys", "create", "--tenant", tenant, "--channel", channel, *extra)
    return bearer(issued["secret"])
