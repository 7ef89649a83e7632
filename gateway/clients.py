"""Dependency aliases, so route signatures say what they use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends

from gateway.container import Container, get_container
from gateway.tenancy.code_uses import MemberCodeUses

if TYPE_CHECKING:
    from loyalty.campaign.v1.campaign_pb2_grpc import CampaignServiceAsyncStub as CampaignStub
    from loyalty.campaign.v1.coupons_pb2_grpc import CouponServiceAsyncStub as CouponStub
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub as MemberStub
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub as PointsStub
else:
    from loyalty.campaign.v1.campaign_pb2_grpc import CampaignServiceStub as CampaignStub
    from loyalty.campaign.v1.coupons_pb2_grpc import CouponServiceStub as CouponStub
    from loyalty.member.v1.member_pb2_grpc import MemberServiceStub as MemberStub
    from loyalty.points.v1.points_pb2_grpc import PointsServiceStub as PointsStub

AppContainer = Annotated[Container, Depends(get_container)]


async def _member(container: AppContainer) -> MemberStub:
    return container.member


async def _points(container: AppContainer) -> PointsStub:
    return container.points


async def _campaign(container: AppContainer) -> CampaignStub:
    return container.campaign


async def _coupons(container: AppContainer) -> CouponStub:
    # A stub only binds method paths to the shared channel: cheap to make per request.
    return CouponStub(container.channels["campaign"])


MemberClient = Annotated[MemberStub, Depends(_member)]
PointsClient = Annotated[PointsStub, Depends(_points)]
CampaignClient = Annotated[CampaignStub, Depends(_campaign)]


CouponClient = Annotated[CouponStub, Depends(_coupons)]


async def _code_uses(container: AppContainer) -> MemberCodeUses:
    return container.code_uses


CodeUses = Annotated[MemberCodeUses, Depends(_code_uses)]
