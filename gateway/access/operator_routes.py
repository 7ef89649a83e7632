"""`/v1/admin/operators`: the people who sign in to a tenant's console, managed by its
administrators (the console's access page; `python -m gateway.admin operators` does the
same from a terminal)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from gateway.access.key_routes import KeyAdministrator as OperatorAdministrator
from gateway.clients import AppContainer
from gateway.edge.fields import StoreId, Strict
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.problems import ApiProblem, problem_responses, validation_problem
from gateway.tenancy.operators.passwords import password_problem
from gateway.tenancy.operators.store import Operator, OperatorError, OperatorExists

router = APIRouter(prefix="/v1/admin/operators", tags=["admin: operators"])
OperatorId = Annotated[str, Path(min_length=1, max_length=64)]
Role = Literal["admin", "marketer", "store_manager", "support", "analyst", "auditor"]
Stores = Annotated[list[StoreId], Field(max_length=500, description="A store manager's stores")]


class RoleBody(Strict):
    """`PUT /v1/admin/operators/{operator_id}`: the operator's role and stores."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"role": "store_manager", "stores": ["S001"]}]}
    )

    role: Role
    stores: Stores = []


class NewOperatorBody(RoleBody):
    """`POST /v1/admin/operators`: the first password is passed to the person by hand."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "email": "wang.fang@brand.example",
                    "role": "support",
                    "password": "a long first password",
                }
            ]
        }
    )

    email: Annotated[str, Field(min_length=3, max_length=254)]
    password: Annotated[str, Field(min_length=1, max_length=1024)]


class OperatorOut(BaseModel):
    operator_id: str
    email: str
    role: str
    stores: list[str]
    created_at: datetime
    disabled: bool = Field(
        default=False, description="A disabled operator cannot sign in and has no session"
    )

    @classmethod
    def of(cls, operator: Operator) -> OperatorOut:
        return cls(
            operator_id=operator.operator_id,
            email=operator.email,
            role=operator.role,
            stores=list(operator.stores),
            created_at=operator.created_at,
            disabled=operator.disabled_at is not None,
        )


class SessionsEndedOut(BaseModel):
    operator_id: str
    sessions_ended: int = Field(description="How many of the operator's sessions were open")


class OperatorListOut(BaseModel):
    operators: list[OperatorOut]


async def _checked_stores(container: AppContainer, tenant_id: str, stores: list[str]) -> None:
    tenant = await container.tenants.get(tenant_id)
    unknown = [s for s in stores if tenant is not None and s not in tenant.stores]
    if unknown:
        raise validation_problem(
            [{"loc": ("body", "stores"), "msg": f"not your stores: {unknown}"}]
        )


@router.get(
    "",
    response_model=OperatorListOut,
    summary="The tenant's operators by e-mail, with their roles and stores",
    responses=problem_responses(401, 403),
)
async def list_operators(caller: OperatorAdministrator, container: AppContainer) -> OperatorListOut:
    found = await container.operators.list(caller.tenant_id)
    return OperatorListOut(operators=[OperatorOut.of(op) for op in found])


@router.post(
    "",
    status_code=201,
    response_model=OperatorOut,
    summary="Create an operator with a role (and a store manager's stores) and a password",
    description="409 `operator_exists` when the e-mail address is already an operator's.",
    responses=problem_responses(401, 403, 409, 413, 422),
    openapi_extra=json_body(NewOperatorBody),
)
async def create_operator(
    request: Request, caller: OperatorAdministrator, container: AppContainer
) -> OperatorOut:
    body = parse_body(NewOperatorBody, await read_json(request))
    problem = password_problem(body.password)
    if problem is not None:
        raise validation_problem([{"loc": ("body", "password"), "msg": problem}])
    await _checked_stores(container, caller.tenant_id, body.stores)
    try:
        operator = await container.operators.create(
            caller.tenant_id, body.email, body.role, body.password, stores=body.stores
        )
    except OperatorExists as exc:
        raise ApiProblem(409, "operator_exists", str(exc)) from None
    except OperatorError as exc:
        raise validation_problem([{"loc": ("body",), "msg": str(exc)}]) from None
    return OperatorOut.of(operator)


@router.put(
    "/{operator_id}",
    response_model=OperatorOut,
    summary="Change an operator's role and stores; their sessions end, so it holds at once",
    responses=problem_responses(401, 403, 404, 413, 422),
    openapi_extra=json_body(RoleBody),
)
async def change_role(
    request: Request,
    caller: OperatorAdministrator,
    container: AppContainer,
    operator_id: OperatorId,
) -> OperatorOut:
    body = parse_body(RoleBody, await read_json(request))
    await _checked_stores(container, caller.tenant_id, body.stores)
    try:
        operator = await container.operators.change_role(
            caller.tenant_id, operator_id, body.role, body.stores
        )
    except OperatorError as exc:
        raise validation_problem([{"loc": ("body",), "msg": str(exc)}]) from None
    if operator is None:
        raise _not_found(operator_id)
    await container.sessions.close_all(operator.operator_id)
    return OperatorOut.of(operator)


def _not_found(operator_id: str) -> ApiProblem:
    return ApiProblem(404, "operator_not_found", f"no operator {operator_id} in this tenant")


async def _set_disabled(
    container: AppContainer, tenant_id: str, operator_id: str, *, disabled: bool
) -> OperatorOut:
    operator = await container.operators.set_disabled(tenant_id, operator_id, disabled=disabled)
    if operator is None:
        raise _not_found(operator_id)
    if disabled:
        await container.sessions.close_all(operator.operator_id)
    return OperatorOut.of(operator)


@router.post(
    "/{operator_id}/disable",
    response_model=OperatorOut,
    summary="Disable an operator: their sessions end at once and they cannot sign in",
    description="Their account stays (with its role and stores) until enabled again; a "
    "sign-in of a disabled operator is the same 401 `invalid_credentials` as a wrong password.",
    responses=problem_responses(401, 403, 404),
)
async def disable_operator(
    caller: OperatorAdministrator, container: AppContainer, operator_id: OperatorId
) -> OperatorOut:
    return await _set_disabled(container, caller.tenant_id, operator_id, disabled=True)


@router.post(
    "/{operator_id}/enable",
    response_model=OperatorOut,
    summary="Enable a disabled operator again: they may sign in with their password",
    responses=problem_responses(401, 403, 404),
)
async def enable_operator(
    caller: OperatorAdministrator, container: AppContainer, operator_id: OperatorId
) -> OperatorOut:
    return await _set_disabled(container, caller.tenant_id, operator_id, disabled=False)


@router.post(
    "/{operator_id}/sessions/end",
    response_model=SessionsEndedOut,
    summary="End every session of an operator at once (a lost laptop); they may sign in again",
    responses=problem_responses(401, 403, 404),
)
async def end_sessions(
    caller: OperatorAdministrator, container: AppContainer, operator_id: OperatorId
) -> SessionsEndedOut:
    if await container.operators.get(caller.tenant_id, operator_id) is None:
        raise _not_found(operator_id)
    ended = await container.sessions.close_all(operator_id)
    return SessionsEndedOut(operator_id=operator_id, sessions_ended=ended)


BODY_MODELS = (NewOperatorBody, RoleBody)
