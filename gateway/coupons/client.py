"""The campaign service's CouponService, over the gateway's channel to that service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends

from gateway.clients import AppContainer

if TYPE_CHECKING:
    from loyalty.campaign.v1.coupons_pb2_grpc import CouponServiceAsyncStub as CouponStub
else:
    from loyalty.campaign.v1.coupons_pb2_grpc import CouponServiceStub as CouponStub


async def _coupons(container: AppContainer) -> CouponStub:
    # A stub only binds method paths to the shared channel: cheap to make per request.
    return CouponStub(container.channels["campaign"])


CouponClient = Annotated[CouponStub, Depends(_coupons)]
