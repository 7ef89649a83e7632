"""The platform API: a platform administrator creates, configures, suspends and resumes
tenants, and makes a tenant's first administrator. No tenant's credential opens it, and
its credential opens nothing else (`gateway.access.platform_auth`); docs/operations.md
("Hosted multi-tenant operation") walks through it."""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from gateway.access.platform_auth import PlatformAdministrator
from gateway.clients import AppContainer
from gateway.container import Container
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.limits.policy import policy_from_doc
from gateway.edge.problems import ApiProblem, problem_responses, validation_problem
from gateway.tenancy.branding import branding_from_doc
from gateway.tenancy.operators.passwords import password_problem
from gateway.tenancy.operators.store import OperatorError, OperatorExists
from gateway.tenancy.policies import default_limits
from gateway.tenancy.tenants import (
    RECORD_FIELDS,
    tenant_from_doc,
)
from gateway.tenants.platform_answers import (
    FirstAdminOut,
    SuspensionOut,
    TenantListOut,
    TenantOut,
    TenantSummaryOut,
    status_of,
)
from gateway.tenants.platform_bodies import (
    FirstAdminBody,
    NewTenantBody,
    TenantChangesBody,
)
from gateway.tenants.platform_setup import put_locale, put_point_value
from gateway.tenants.provisioning import check_point_value, configure, create, store_fields

router = APIRouter(prefix="/v1/platform/tenants", tags=["platform: tenants"])
TenantId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Limit = Annotated[int, Query(ge=1, le=200)]
Cursor = Annotated[str | None, Query(max_length=64)]
_FORBIDDEN = "a tenant's key or operator: 403 `forbidden`"


def _not_found(tenant_id: str) -> ApiProblem:
    return ApiProblem(404, "tenant_not_found", f"no tenant {tenant_id} on the platform")


async def _configured(container: Container, tenant_id: str) -> TenantOut:
    doc = await container.db["tenants"].find_one({"_id": tenant_id})
    if doc is None or not doc.keys() >= RECORD_FIELDS:
        raise _not_found(tenant_id)
    try:
        policy = policy_from_doc(doc, default_limits(container.settings))
    except ValueError:  # set outside the API; the gateway runs on the defaults then
        policy = policy_from_doc(None, default_limits(container.settings))
    return TenantOut.of(tenant_from_doc(doc), policy, branding_from_doc(doc))


@router.post(
    "",
    status_code=201,
    response_model=TenantOut,
    summary="Create a tenant: its record, settings and starter programme at every service",
    description=(
        "The id (lower case) and the base currency are kept forever; every other field can "
        "change later (`PATCH`). Each store may name its own time zone (the tenant's "
        "otherwise). The tenant gets the starter programme (three tiers; a point per unit of "
        "its currency, kept two years), which its administrators change afterwards. A "
        "`point_value` must be in the base currency. 409 `tenant_exists` for an id taken; "
        "a creation that failed half way (503) is finished by sending it again. "
        f"{_FORBIDDEN}."
    ),
    responses=problem_responses(401, 403, 409, 413, 422, 503, 504),
    openapi_extra=json_body(NewTenantBody),
)
async def create_tenant(
    request: Request, caller: PlatformAdministrator, container: AppContainer
) -> TenantOut:
    body = parse_body(NewTenantBody, await read_json(request))
    request.state.caller = replace(caller, tenant_id=body.tenant_id)  # its own audit trail
    tenant = await create(container, body)
    return await _configured(container, tenant.tenant_id)


@router.get(
    "",
    response_model=TenantListOut,
    summary="The platform's tenants by id, with their status",
    description=_FORBIDDEN + ".",
    responses=problem_responses(401, 403, 422),
)
async def list_tenants(
    _: PlatformAdministrator, container: AppContainer, limit: Limit = 50, cursor: Cursor = None
) -> TenantListOut:
    found = await container.tenants.list(after=cursor, limit=limit + 1)
    page = found[:limit]
    return TenantListOut(
        tenants=[
            TenantSummaryOut(
                tenant_id=t.tenant_id,
                name=t.name,
                status=status_of(t),
                currency=t.currency,
                created_at=t.created_at,
            )
            for t in page
        ],
        next_cursor=page[-1].tenant_id if len(found) > limit else None,
    )


@router.get(
    "/{tenant_id}",
    response_model=TenantOut,
    summary="A tenant's configuration and status",
    description="404 `tenant_not_found` for a tenant the platform does not have. " + _FORBIDDEN,
    responses=problem_responses(401, 403, 404, 422),
)
async def read_tenant(
    tenant_id: TenantId, _: PlatformAdministrator, container: AppContainer
) -> TenantOut:
    return await _configured(container, tenant_id)


@router.patch(
    "/{tenant_id}",
    response_model=TenantOut,
    summary="Change a tenant's settings: each field given replaces that setting",
    description=(
        "Name, stores (the whole list, each with its time zone), default region, time zone "
        "(the member and points services read days in it from now on), languages, branding "
        "(replaced whole), point value (in the base currency), rate limits (each bucket "
        "given replaces that bucket) and web origins (the whole list). The id and the base "
        "currency never change. Rate limits and web origins hold in every gateway process "
        "within the tenant cache's lifetime (5 s by default). " + _FORBIDDEN
    ),
    responses=problem_responses(401, 403, 404, 413, 422, 503, 504),
    openapi_extra=json_body(TenantChangesBody),
)
async def change_tenant(
    request: Request, tenant_id: TenantId, _: PlatformAdministrator, container: AppContainer
) -> TenantOut:
    body = parse_body(TenantChangesBody, await read_json(request))
    tenant = await container.tenants.get(tenant_id)
    if tenant is None:
        raise _not_found(tenant_id)
    check_point_value(body.point_value, tenant.currency)
    fields: dict[str, Any] = {}
    for name in ("name", "default_region", "time_zone"):
        if getattr(body, name) is not None:
            fields[name] = getattr(body, name)
    if body.languages is not None:
        fields["languages"] = list(body.languages)
    if body.stores is not None:
        fields |= store_fields(body.stores)
    if body.point_value is not None:
        fields["point_value"] = body.point_value.model_dump()
    changed = await container.tenants.change(tenant_id, fields)
    container.languages.forget(tenant_id)
    if changed is None:
        raise _not_found(tenant_id)
    await configure(container, tenant_id, body)
    if body.default_region is not None or body.time_zone is not None:
        zone_changed = changed.time_zone != tenant.time_zone
        await put_locale(container, changed, zone_changed=zone_changed)
    if body.point_value is not None:
        await put_point_value(container, changed)
    return await _configured(container, tenant_id)


@router.post(
    "/{tenant_id}/suspend",
    response_model=SuspensionOut,
    summary="Suspend a tenant: its keys, operators' sessions and member tokens are refused",
    description=(
        "From the very next request, in every gateway process: each admitted request reads "
        "the suspension uncached (a Redis flag), so no key, session or policy cache delays "
        "it. A suspended tenant's credentials answer 403 `tenant_suspended`, its operators "
        "cannot sign in, and nothing of its data changes or goes. Suspending a suspended "
        "tenant changes nothing. " + _FORBIDDEN
    ),
    responses=problem_responses(401, 403, 404, 422),
)
async def suspend_tenant(
    tenant_id: TenantId, _: PlatformAdministrator, container: AppContainer
) -> SuspensionOut:
    if await container.tenants.get(tenant_id) is None:
        raise _not_found(tenant_id)
    since = await container.suspensions.suspend(tenant_id)
    return SuspensionOut(tenant_id=tenant_id, status="suspended", suspended_at=since)


@router.post(
    "/{tenant_id}/resume",
    response_model=SuspensionOut,
    summary="Resume a suspended tenant: its credentials work again from the next request",
    description="Keys, sessions and member tokens still valid work again. " + _FORBIDDEN,
    responses=problem_responses(401, 403, 404, 422),
)
async def resume_tenant(
    tenant_id: TenantId, _: PlatformAdministrator, container: AppContainer
) -> SuspensionOut:
    if await container.tenants.get(tenant_id) is None:
        raise _not_found(tenant_id)
    await container.suspensions.resume(tenant_id)
    return SuspensionOut(tenant_id=tenant_id, status="active", suspended_at=None)


@router.post(
    "/{tenant_id}/operators",
    status_code=201,
    response_model=FirstAdminOut,
    summary="Create an administrator of the tenant (its first one), who then runs the console",
    description=(
        "An operator with the `admin` role. Without a `password` a one-time password is made "
        "and answered this once (pass it to the person; they sign in with "
        "`POST /v1/auth/sessions`); a password given needs 12 characters or more. 409 "
        "`operator_exists` when the e-mail address is already an operator's of the tenant. "
        + _FORBIDDEN
    ),
    responses=problem_responses(401, 403, 404, 409, 413, 422),
    openapi_extra=json_body(FirstAdminBody),
)
async def create_first_admin(
    request: Request, tenant_id: TenantId, _: PlatformAdministrator, container: AppContainer
) -> FirstAdminOut:
    body = parse_body(FirstAdminBody, await read_json(request))
    if body.password is not None and (problem := password_problem(body.password)):
        raise validation_problem([{"loc": ("body", "password"), "msg": problem}])
    if await container.tenants.get(tenant_id) is None:
        raise _not_found(tenant_id)
    made = secrets.token_urlsafe(18) if body.password is None else None
    try:
        operator = await container.operators.create(
            tenant_id, body.email, "admin", body.password or made or ""
        )
    except OperatorExists as exc:
        raise ApiProblem(409, "operator_exists", str(exc)) from None
    except OperatorError as exc:
        raise validation_problem([{"loc": ("body", "email"), "msg": str(exc)}]) from None
    return FirstAdminOut(
        operator_id=operator.operator_id,
        tenant_id=tenant_id,
        email=operator.email,
        role=operator.role,
        password=made,
    )
