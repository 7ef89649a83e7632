"""What birthday campaigns ask of the MemberService: the tenant's time zone, and who was
born on a day."""

from __future__ import annotations

from libs.grpc.requests import Context, tenant_of
from loyalty.member.v1 import member_pb2 as pb
from services.member.domain.birthdays import DEFAULT_LIMIT, BirthdayQuery
from services.member.domain.ports import UnitOfWork
from services.member.entrypoints.translators.admin import settings_message
from services.member.handlers.birthdays import list_birthday_members
from services.member.handlers.tenants import get_tenant_settings


class BirthdayRpcs:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def GetTenantSettings(
        self, request: pb.GetTenantSettingsRequest, context: Context
    ) -> pb.GetTenantSettingsResponse:
        settings = await get_tenant_settings(tenant_of(request.tenant_id), self._uow)
        return pb.GetTenantSettingsResponse(settings=settings_message(settings))

    async def ListBirthdayMembers(
        self, request: pb.ListBirthdayMembersRequest, context: Context
    ) -> pb.ListBirthdayMembersResponse:
        query = BirthdayQuery(
            month=request.month,
            day=request.day,
            consented_to=request.consented_to,
            cursor=request.cursor,
            limit=request.limit or DEFAULT_LIMIT,
        )
        ids, cursor = await list_birthday_members(tenant_of(request.tenant_id), query, self._uow)
        return pb.ListBirthdayMembersResponse(member_ids=ids, next_cursor=cursor)
