"""`/v1/admin/keys`: a tenant's API keys, managed by its administrators."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse

from gateway.access.auth import Caller
from gateway.access.key_answers import IssuedKeyOut, KeyListOut, KeyOut
from gateway.access.key_bodies import CreateKeyBody, RotateKeyBody
from gateway.clients import AppContainer
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.problems import ApiProblem, problem_responses, validation_problem
from gateway.tenancy.key_admin import KeyAdmin, KeyRequestError
from gateway.tenancy.keys import ApiKey, IssuedKey

router = APIRouter(prefix="/v1/admin/keys", tags=["admin: keys"])
KeyId = Annotated[str, Path(min_length=1, max_length=64)]


async def require_key_admin(caller: Caller) -> ApiKey:
    """An operator key without a role, or an operator with the `admin` role (else 403)."""
    if caller.channel != "operator" or caller.role not in (None, "admin"):
        raise ApiProblem(403, "forbidden", "only a tenant's administrators manage its keys")
    return caller


KeyAdministrator = Annotated[ApiKey, Depends(require_key_admin)]


async def _key_admin(container: AppContainer) -> KeyAdmin:
    return KeyAdmin(container.keys, container.db["api_keys"])


Keys = Annotated[KeyAdmin, Depends(_key_admin)]


def _unknown(key_id: str) -> ApiProblem:
    return ApiProblem(404, "key_not_found", f"no key {key_id} in this tenant")


def _issued(issued: IssuedKey, status: int) -> JSONResponse:
    body = IssuedKeyOut(key=KeyOut.of(issued.key), secret=issued.secret)
    return JSONResponse(body.model_dump(mode="json"), status_code=status)


@router.post(
    "",
    status_code=201,
    response_model=IssuedKeyOut,
    summary="Create an API key; its secret is in this answer only",
    responses=problem_responses(401, 403, 413, 422),
    openapi_extra=json_body(CreateKeyBody),
)
async def create_key(
    request: Request, caller: KeyAdministrator, keys: Keys, container: AppContainer
) -> JSONResponse:
    body = parse_body(CreateKeyBody, await read_json(request))
    tenant = await container.tenants.get(caller.tenant_id)
    if body.store_id is not None and tenant is not None and body.store_id not in tenant.stores:
        raise validation_problem([{"loc": ("body", "store_id"), "msg": "not a store of yours"}])
    try:
        issued = await keys.create(
            caller.tenant_id,
            body.channel,
            store_id=body.store_id,
            scopes=body.scopes,
            role=body.role,
        )
    except KeyRequestError as exc:
        raise validation_problem([{"loc": ("body",), "msg": str(exc)}]) from None
    return _issued(issued, 201)


@router.get(
    "",
    response_model=KeyListOut,
    summary="The tenant's API keys, revoked ones included, newest first",
    responses=problem_responses(401, 403),
)
async def list_keys(caller: KeyAdministrator, keys: Keys) -> KeyListOut:
    return KeyListOut(keys=[KeyOut.of(key) for key in await keys.list(caller.tenant_id)])


@router.post(
    "/{key_id}/rotate",
    response_model=IssuedKeyOut,
    summary="A new secret for a key; the current one keeps working for a grace period",
    responses=problem_responses(401, 403, 404, 413, 422),
    openapi_extra=json_body(RotateKeyBody),
)
async def rotate_key(
    request: Request, caller: KeyAdministrator, keys: Keys, key_id: KeyId
) -> JSONResponse:
    raw = await request.body()
    body = parse_body(RotateKeyBody, await read_json(request)) if raw.strip() else RotateKeyBody()
    grace = timedelta(seconds=body.grace_seconds)
    issued = await keys.rotate(caller.tenant_id, key_id, grace)
    if issued is None:
        raise _unknown(key_id)
    return _issued(issued, 200)


@router.post(
    "/{key_id}/revoke",
    response_model=KeyOut,
    summary="Revoke a key at once (again: the same answer)",
    responses=problem_responses(401, 403, 404),
)
async def revoke_key(caller: KeyAdministrator, keys: Keys, key_id: KeyId) -> KeyOut:
    key = await keys.revoke(caller.tenant_id, key_id)
    if key is None:
        raise _unknown(key_id)
    return KeyOut.of(key)
