"""`/v1/admin`: operator endpoints (docs/api.md, Operator endpoints); operator keys only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from gateway.access.auth import Caller
from gateway.access.permissions import Matrix, principal_of
from gateway.clients import AppContainer
from gateway.edge.problems import ApiProblem, problem_responses
from gateway.tenancy.keys import ApiKey, Channel

router = APIRouter(prefix="/v1/admin", tags=["admin"])


async def require_operator(caller: Caller) -> ApiKey:
    """The caller, if it holds an operator key (403 for a touchpoint's key)."""
    if caller.channel != "operator":
        raise ApiProblem(403, "forbidden", "only an operator key may use /v1/admin")
    return caller


Operator = Annotated[ApiKey, Depends(require_operator)]


class TenantOut(BaseModel):
    name: str
    stores: list[str]
    time_zone: str = Field(description="IANA name; the console shows times in it")
    currency: str = Field(description="ISO 4217; the console shows money in it")


class RouteOut(BaseModel):
    method: str
    path: str


class WhoAmI(BaseModel):
    """The key or session in use. `tenant` is null when the tenant has no record in the
    gateway; `may` lists what the caller's role may call (see docs/permissions.md)."""

    tenant_id: str
    channel: Channel
    key_id: str
    tenant: TenantOut | None
    role: str = Field(description="The operator's role; `admin` for an operator key without one")
    stores: list[str] = Field(description="The stores a store manager acts for; empty otherwise")
    may: list[RouteOut]


def permitted_routes(matrix: Matrix, caller: ApiKey) -> list[RouteOut]:
    principal = principal_of(caller)
    return [
        RouteOut(method=method, path=path)
        for (method, path), rule in sorted(matrix.items(), key=lambda item: item[0][::-1])
        if not rule.public and rule.permits(principal, caller.scopes)
    ]


@router.get(
    "/whoami",
    response_model=WhoAmI,
    summary="The tenant, key or session, role and stores an operator is signed in with, "
    "and what they may call",
    responses=problem_responses(401, 403),
)
async def whoami(request: Request, caller: Operator, container: AppContainer) -> WhoAmI:
    tenant = await container.tenants.get(caller.tenant_id)
    return WhoAmI(
        tenant_id=caller.tenant_id,
        channel=caller.channel,
        key_id=caller.key_id,
        tenant=None
        if tenant is None
        else TenantOut(
            name=tenant.name,
            stores=list(tenant.stores),
            time_zone=tenant.time_zone,
            currency=tenant.currency,
        ),
        role=principal_of(caller),
        stores=sorted(caller.bound_stores),
        may=permitted_routes(request.app.state.matrix, caller),
    )
