"""`/v1/admin` for members: attribute schema, tier program, search, manual tiers."""

from __future__ import annotations

from fastapi import APIRouter, Request

from gateway.clients import MemberClient
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.problems import problem_responses
from gateway.members.access import MemberOperator
from gateway.members.profile_bodies import AttributeSchemaBody
from loyalty.member.v1 import member_pb2

router = APIRouter(prefix="/v1/admin", tags=["admin: members"])
_UPSTREAM = (503, 504)


@router.put(
    "/member-attributes",
    response_model=AttributeSchemaBody,
    summary="Set the custom profile attributes of the tenant's members and their types",
    responses=problem_responses(401, 403, 413, 422, *_UPSTREAM),
    openapi_extra=json_body(AttributeSchemaBody),
)
async def put_member_attributes(
    request: Request, caller: MemberOperator, members: MemberClient
) -> AttributeSchemaBody:
    body = parse_body(AttributeSchemaBody, await read_json(request))
    rpc = member_pb2.PutAttributeSchemaRequest(
        tenant_id=caller.tenant_id,
        schema=member_pb2.AttributeSchema(attributes=dict(body.attributes)),
    )
    reply = await members.PutAttributeSchema(rpc)
    return AttributeSchemaBody.model_validate({"attributes": dict(reply.schema.attributes)})


@router.get(
    "/member-attributes",
    response_model=AttributeSchemaBody,
    summary="The custom profile attributes of the tenant's members and their types",
    responses=problem_responses(401, 403, *_UPSTREAM),
)
async def get_member_attributes(
    caller: MemberOperator, members: MemberClient
) -> AttributeSchemaBody:
    reply = await members.GetAttributeSchema(
        member_pb2.GetAttributeSchemaRequest(tenant_id=caller.tenant_id)
    )
    return AttributeSchemaBody.model_validate({"attributes": dict(reply.schema.attributes)})
