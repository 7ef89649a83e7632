"""The platform API in the tenant isolation test: it belongs to no tenant, so the sandbox
tenant's administrator is refused there (403 `forbidden`) whatever tenant it names, the
demo tenant included, and nothing of the demo tenant changes (a suspension would refuse
the demo credentials of every later case)."""

from __future__ import annotations

import httpx

from tests.e2e.isolation_kinds import Case, Judged
from tests.e2e.isolation_world import Call, World

TENANTS = "/v1/platform/tenants"
DEMO = f"{TENANTS}/demo"


async def refused_by_the_platform_api(_: World, response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    assert response.json()["code"] == "forbidden"


def _refused(path: str, json: object = None) -> Judged:
    return Judged("operator", lambda _: Call(path, json=json), refused_by_the_platform_api)


PLATFORM_CASES: dict[tuple[str, str], Case] = {
    ("GET", TENANTS): _refused(TENANTS),
    ("POST", TENANTS): _refused(TENANTS, {"tenant_id": "demo", "name": "Taken over"}),
    ("GET", f"{TENANTS}/{{tenant_id}}"): _refused(DEMO),
    ("PATCH", f"{TENANTS}/{{tenant_id}}"): _refused(DEMO, {"name": "Taken over"}),
    ("POST", f"{TENANTS}/{{tenant_id}}/suspend"): _refused(f"{DEMO}/suspend"),
    ("POST", f"{TENANTS}/{{tenant_id}}/resume"): _refused(f"{DEMO}/resume"),
    ("POST", f"{TENANTS}/{{tenant_id}}/operators"): _refused(
        f"{DEMO}/operators", {"email": "mallory@sandbox.example"}
    ),
}
