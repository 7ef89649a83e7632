"""The MemberService gRPC API: translate, call a handler, translate back."""

from __future__ import annotations

from typing import Any

from grpc import aio

from libs.errors import InvalidArgument
from loyalty.member.v1 import member_pb2 as pb
from loyalty.member.v1 import member_pb2_grpc
from services.member.domain.ports import UnitOfWork
from services.member.entrypoints import translate
from services.member.handlers import enrolment, tenants

Context = aio.ServicerContext[Any, Any]


def _tenant(tenant_id: str) -> str:
    if not tenant_id:
        raise InvalidArgument("tenant_id: required")
    return tenant_id


class MemberServicer(member_pb2_grpc.MemberServiceServicer):
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def EnrollMember(
        self, request: pb.EnrollMemberRequest, context: Context
    ) -> pb.EnrollMemberResponse:
        _tenant(request.tenant_id)
        result = await enrolment.enrol_member(translate.enrol_command(request), self._uow)
        return pb.EnrollMemberResponse(
            member=translate.member_message(result), created=result.created
        )

    async def GetMember(
        self, request: pb.GetMemberRequest, context: Context
    ) -> pb.GetMemberResponse:
        member = await enrolment.get_member(
            _tenant(request.tenant_id), request.member_id, self._uow
        )
        return pb.GetMemberResponse(member=translate.member_message(member))

    async def LookupMember(
        self, request: pb.LookupMemberRequest, context: Context
    ) -> pb.LookupMemberResponse:
        member = await enrolment.lookup_member(
            _tenant(request.tenant_id), request.identity.type, request.identity.value, self._uow
        )
        return pb.LookupMemberResponse(member=translate.member_message(member))

    async def PutTenantSettings(
        self, request: pb.PutTenantSettingsRequest, context: Context
    ) -> pb.PutTenantSettingsResponse:
        settings = await tenants.put_tenant_settings(
            _tenant(request.tenant_id), translate.settings_from(request.settings), self._uow
        )
        return pb.PutTenantSettingsResponse(settings=translate.settings_message(settings))

    async def PutTierProgram(
        self, request: pb.PutTierProgramRequest, context: Context
    ) -> pb.PutTierProgramResponse:
        program = await tenants.put_tier_program(
            _tenant(request.tenant_id), translate.program_from(request.program), self._uow
        )
        return pb.PutTierProgramResponse(program=translate.program_message(program))

    async def GetTierProgram(
        self, request: pb.GetTierProgramRequest, context: Context
    ) -> pb.GetTierProgramResponse:
        program = await tenants.get_tier_program(_tenant(request.tenant_id), self._uow)
        return pb.GetTierProgramResponse(program=translate.program_message(program))
