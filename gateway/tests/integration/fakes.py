"""In-process stand-ins for the member and points services, over a real grpc.aio server.

They keep members in dicts, which is all the gateway needs to prove its own behaviour;
the real services are tested on their own and end to end through the gateway. The points
service's stand-in lives in `fake_points`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp
from grpc import aio
from grpc_health.v1 import _async as health_aio
from grpc_health.v1 import health_pb2, health_pb2_grpc
from typing_extensions import override

from gateway.tests.integration.fake_campaigns import FakeCampaignService
from gateway.tests.integration.fake_coupons import FakeCouponService
from gateway.tests.integration.fake_membership import TAKEN_PREFIX as _TAKEN
from gateway.tests.integration.fake_merge import MergeRpcs
from gateway.tests.integration.fake_points import FakePointsService
from gateway.tests.integration.unserved import unserved
from libs.errors import AlreadyExists, FailedPrecondition, NotFound
from libs.grpc.errors import ErrorInterceptor
from libs.ids import new_id
from libs.logging import current_request_id
from loyalty.campaign.v1 import campaign_pb2_grpc, coupons_pb2_grpc
from loyalty.member.v1 import member_pb2, member_pb2_grpc
from loyalty.points.v1 import points_pb2_grpc

Context = aio.ServicerContext[Any, Any]
TAKEN_PREFIX = _TAKEN  # an identity value the fake reports as held by someone else
SLOW_PREFIX = "slow-"  # a member id the fake takes its time over


@dataclass
class FakeMemberService(MergeRpcs):
    enrolments: list[member_pb2.EnrollMemberRequest] = field(default_factory=list)
    tenant_settings: list[member_pb2.PutTenantSettingsRequest] = field(default_factory=list)
    tier_programs: list[member_pb2.PutTierProgramRequest] = field(default_factory=list)
    request_ids: list[str | None] = field(default_factory=list)

    GetTenantSettings = unserved
    ListBirthdayMembers = unserved
    ListConsentChanges = unserved

    @override
    async def EnrollMember(
        self, request: member_pb2.EnrollMemberRequest, context: Context
    ) -> member_pb2.EnrollMemberResponse:
        self.enrolments.append(request)
        self.request_ids.append(current_request_id())
        tenant = request.tenant_id
        for identity in request.identities:
            if identity.value.startswith(TAKEN_PREFIX):
                raise AlreadyExists("identity belongs to another member", code="identity_taken")
            holder = self.identities.get((tenant, identity.type, identity.value))
            if holder is not None:
                return member_pb2.EnrollMemberResponse(
                    member=self.members[(tenant, holder)], created=False
                )
        enrolled_at = Timestamp()
        enrolled_at.GetCurrentTime()
        member = member_pb2.Member(
            member_id=new_id("mem_"),
            tenant_id=tenant,
            status="active",
            identities=request.identities,
            profile=request.profile,
            consents=[
                member_pb2.Consent(purpose=purpose, granted=granted, channel=request.channel)
                for purpose, granted in request.consents.items()
            ],
            tier=member_pb2.TierState(
                code="member", name="Member", since=enrolled_at, multiplier="1"
            ),
            enrolled_at=enrolled_at,
            enrolled_channel=request.channel,
            enrolled_store_id=request.store_id,
            version=1,
        )
        self.members[(tenant, member.member_id)] = member
        for identity in request.identities:
            self.identities[(tenant, identity.type, identity.value)] = member.member_id
        return member_pb2.EnrollMemberResponse(member=member, created=True)

    @override
    async def GetMember(
        self, request: member_pb2.GetMemberRequest, context: Context
    ) -> member_pb2.GetMemberResponse:
        if request.member_id.startswith(SLOW_PREFIX):
            await asyncio.sleep(5)
        member = self.members.get((request.tenant_id, request.member_id))
        if member is None:
            raise NotFound("no such member", code="member_not_found")
        return member_pb2.GetMemberResponse(member=member)

    @override
    async def LookupMember(
        self, request: member_pb2.LookupMemberRequest, context: Context
    ) -> member_pb2.LookupMemberResponse:
        if request.identity.type == "code":
            member = self.member_of_code(request.tenant_id, request.identity.value)
            return member_pb2.LookupMemberResponse(member=member)
        key = (request.tenant_id, request.identity.type, request.identity.value)
        member_id = self.identities.get(key)
        if member_id is None:
            raise NotFound("no member holds that identity", code="member_not_found")
        return member_pb2.LookupMemberResponse(member=self.members[(key[0], member_id)])

    @override
    async def ResolveMember(
        self, request: member_pb2.ResolveMemberRequest, context: Context
    ) -> member_pb2.ResolveMemberResponse:
        """As the member service: the named member, merges followed; erased: refused."""
        if request.HasField("identity"):
            lookup = member_pb2.LookupMemberRequest(
                tenant_id=request.tenant_id, identity=request.identity
            )
            member = (await self.LookupMember(lookup, context)).member
        else:
            get = member_pb2.GetMemberRequest(
                tenant_id=request.tenant_id, member_id=request.member_id
            )
            member = (await self.GetMember(get, context)).member
        while member.status == "merged" and member.merged_into:
            member = self.members[(request.tenant_id, member.merged_into)]
        if member.status not in ("", "active"):
            raise FailedPrecondition(
                f"member {member.member_id} is {member.status}", code="member_not_active"
            )
        birthday = member.profile.birthday
        return member_pb2.ResolveMemberResponse(
            member_id=member.member_id,
            tier=member.tier,
            enrolled_at=member.enrolled_at,
            enrolled_store_id=member.enrolled_store_id,
            birth_month=int(birthday[5:7]) if birthday else 0,
        )

    @override
    async def PutTenantSettings(
        self, request: member_pb2.PutTenantSettingsRequest, context: Context
    ) -> member_pb2.PutTenantSettingsResponse:
        self.tenant_settings.append(request)
        return member_pb2.PutTenantSettingsResponse(settings=request.settings)

    @override
    async def PutTierProgram(
        self, request: member_pb2.PutTierProgramRequest, context: Context
    ) -> member_pb2.PutTierProgramResponse:
        self.tier_programs.append(request)
        return member_pb2.PutTierProgramResponse(program=request.program)

    @override
    async def GetTierProgram(
        self, request: member_pb2.GetTierProgramRequest, context: Context
    ) -> member_pb2.GetTierProgramResponse:
        put = [p for p in self.tier_programs if p.tenant_id == request.tenant_id]
        if not put:
            raise NotFound("no tier program is set", code="tier_program_not_found")
        return member_pb2.GetTierProgramResponse(program=put[-1].program)


@dataclass
class FakeServices:
    """One server answering as member, points and campaign service."""

    server: aio.Server
    address: str
    member: FakeMemberService
    points: FakePointsService
    campaign: FakeCampaignService = field(default_factory=FakeCampaignService)
    coupons: FakeCouponService = field(default_factory=FakeCouponService)

    async def stop(self) -> None:
        await self.server.stop(None)


async def start_fake_services(port: int = 0) -> FakeServices:
    server = aio.server(interceptors=[ErrorInterceptor()])
    member, points = FakeMemberService(), FakePointsService()
    member_pb2_grpc.add_MemberServiceServicer_to_server(member, server)
    points_pb2_grpc.add_PointsServiceServicer_to_server(points, server)
    campaign = FakeCampaignService()
    campaign_pb2_grpc.add_CampaignServiceServicer_to_server(campaign, server)
    coupons = FakeCouponService()
    coupons_pb2_grpc.add_CouponServiceServicer_to_server(coupons, server)
    health = health_aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    bound = server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    await health.set("", health_pb2.HealthCheckResponse.SERVING)
    return FakeServices(server, f"127.0.0.1:{bound}", member, points, campaign, coupons)
