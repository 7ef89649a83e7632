"""`/v1/admin`: operator endpoints (API.md, Operator endpoints); operator keys only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from gateway.auth import Caller
from gateway.deps import AppContainer
from gateway.keys import ApiKey, Channel
from gateway.problems import ApiProblem, problem_responses

router = APIRouter(prefix="/v1/admin", tags=["admin"])


def require_operator(caller: Caller) -> ApiKey:
    """The caller, if it holds an operator key (403 for a touchpoint's key)."""
    if caller.channel != "operator":
        raise ApiProblem(403, "forbidden", "only an operator key may use /v1/admin")
    return caller


Operator = Annotated[ApiKey, Depends(require_operator)]


class TenantOut(BaseModel):
    name: str
    stores: list[str]


class WhoAmI(BaseModel):
    """The key in use. `tenant` is null when the tenant has no record in the gateway."""

    tenant_id: str
    channel: Channel
    key_id: str
    tenant: TenantOut | None


@router.get(
    "/whoami",
    response_model=WhoAmI,
    summary="The tenant and key an operator is signed in with",
    responses=problem_responses(401, 403),
)
async def whoami(caller: Operator, container: AppContainer) -> WhoAmI:
    tenant = await container.tenants.get(caller.tenant_id)
    return WhoAmI(
        tenant_id=caller.tenant_id,
        channel=caller.channel,
        key_id=caller.key_id,
        tenant=None if tenant is None else TenantOut(name=tenant.name, stores=list(tenant.stores)),
    )
