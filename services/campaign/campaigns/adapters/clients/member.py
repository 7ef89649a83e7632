"""The member service's answers birthday campaigns need, over gRPC: the tenant's time zone
and who was born on a day (ids only)."""

from __future__ import annotations

from grpc import aio

from loyalty.member.v1 import member_pb2 as pb
from loyalty.member.v1.member_pb2_grpc import MemberServiceStub
from services.campaign.campaigns.domain.birthdays import BirthdayPage

MEMBER_SECONDS = 5.0
PAGE = 500
MARKETING = "marketing"


class GrpcMemberDirectory:
    """A `MemberDirectory`; every call carries a deadline."""

    def __init__(self, channel: aio.Channel, timeout_seconds: float = MEMBER_SECONDS) -> None:
        self._stub = MemberServiceStub(channel)
        self._timeout = timeout_seconds

    async def time_zone(self, tenant_id: str) -> str:
        request = pb.GetTenantSettingsRequest(tenant_id=tenant_id)
        answer = await self._stub.GetTenantSettings(request, timeout=self._timeout)
        return answer.settings.time_zone or "UTC"

    async def born_on(
        self, tenant_id: str, month: int, day: int, *, consenting: bool, cursor: str
    ) -> BirthdayPage:
        request = pb.ListBirthdayMembersRequest(
            tenant_id=tenant_id,
            month=month,
            day=day,
            consented_to=MARKETING if consenting else "",
            limit=PAGE,
            cursor=cursor,
        )
        answer = await self._stub.ListBirthdayMembers(request, timeout=self._timeout)
        return BirthdayPage(list(answer.member_ids), answer.next_cursor)
