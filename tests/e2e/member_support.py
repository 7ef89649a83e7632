"""What the membership end-to-end tests share: keys, identities, an enrolment."""

from __future__ import annotations

from uuid import uuid4

import httpx

from libs.stack.platform import Stack


def key(stack: Stack, tenant: str, channel: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.credentials['tenants'][tenant][channel]}"}


def new_phone() -> str:
    return f"+86136{uuid4().int % 10**8:08d}"


def email_of(name: str) -> str:
    return f"{name.replace(' ', '.').lower()}@example.com"


async def enrol(stack: Stack, http: httpx.AsyncClient, phone: str, name: str) -> str:
    body = {
        "channel": "pos",
        "store_id": "S001",
        "identities": [{"type": "phone", "value": phone}],
        "profile": {"name": name, "birthday": "1988-02-29", "email": email_of(name)},
        "consents": {"marketing": True},
    }
    created = await http.post("/v1/members", json=body, headers=key(stack, "demo", "pos"))
    assert created.status_code == 201, created.text
    member_id: str = created.json()["member_id"]
    return member_id


async def as_member(
    stack: Stack, http: httpx.AsyncClient, member_id: str, tenant: str = "demo"
) -> dict[str, str]:
    """A member token for `member_id`, minted by the tenant's app backend with its app key:
    what the member's app sends for the member's own routes."""
    opened = await http.post(f"/v1/members/{member_id}/sessions", headers=key(stack, tenant, "app"))
    assert opened.status_code == 201, opened.text
    return {"Authorization": f"Bearer {opened.json()['token']}"}
