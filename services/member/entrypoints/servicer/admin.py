"""The operators' part of the MemberService API: tenant set-up, search, manual tiers."""

from __future__ import annotations

from libs.errors import InvalidArgument
from libs.grpc.requests import Context, tenant_of
from libs.timestamps import aware
from loyalty.member.v1 import member_pb2 as pb
from services.member.domain.ports import UnitOfWork
from services.member.entrypoints.translators import admin
from services.member.entrypoints.translators.members import actor_from, member_message
from services.member.handlers import search, tenants, tiers


class AdminRpcs:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def PutTenantSettings(
        self, request: pb.PutTenantSettingsRequest, context: Context
    ) -> pb.PutTenantSettingsResponse:
        settings = await tenants.put_tenant_settings(
            tenant_of(request.tenant_id), admin.settings_from(request.settings), self._uow
        )
        return pb.PutTenantSettingsResponse(settings=admin.settings_message(settings))

    async def PutAttributeSchema(
        self, request: pb.PutAttributeSchemaRequest, context: Context
    ) -> pb.PutAttributeSchemaResponse:
        schema = await tenants.put_attribute_schema(
            tenant_of(request.tenant_id), dict(request.schema.attributes), self._uow
        )
        return pb.PutAttributeSchemaResponse(schema=admin.schema_message(schema))

    async def GetAttributeSchema(
        self, request: pb.GetAttributeSchemaRequest, context: Context
    ) -> pb.GetAttributeSchemaResponse:
        schema = await tenants.get_attribute_schema(tenant_of(request.tenant_id), self._uow)
        return pb.GetAttributeSchemaResponse(schema=admin.schema_message(schema))

    async def PutTierProgram(
        self, request: pb.PutTierProgramRequest, context: Context
    ) -> pb.PutTierProgramResponse:
        program = await tenants.put_tier_program(
            tenant_of(request.tenant_id), admin.program_from(request.program), self._uow
        )
        return pb.PutTierProgramResponse(program=admin.program_message(program))

    async def GetTierProgram(
        self, request: pb.GetTierProgramRequest, context: Context
    ) -> pb.GetTierProgramResponse:
        program = await tenants.get_tier_program(tenant_of(request.tenant_id), self._uow)
        return pb.GetTierProgramResponse(program=admin.program_message(program))

    async def SearchMembers(
        self, request: pb.SearchMembersRequest, context: Context
    ) -> pb.SearchMembersResponse:
        identity = None
        if request.HasField("identity"):
            identity = (request.identity.type, request.identity.value)
        views, cursor = await search.search_members(
            tenant_of(request.tenant_id),
            admin.query_from(request),
            self._uow,
            member_id=request.member_id,
            identity=identity,
        )
        return pb.SearchMembersResponse(
            members=[member_message(v) for v in views], next_cursor=cursor
        )

    async def SetManualTier(
        self, request: pb.SetManualTierRequest, context: Context
    ) -> pb.SetManualTierResponse:
        if not request.HasField("until"):
            raise InvalidArgument("until: required")
        command = tiers.SetManualTier(
            tenant_id=tenant_of(request.tenant_id),
            member_id=request.member_id,
            tier_code=request.tier_code,
            reason=request.reason,
            until=aware(request.until),
            actor=actor_from(request.actor),
        )
        view = await tiers.set_member_tier(command, self._uow)
        return pb.SetManualTierResponse(member=member_message(view))
