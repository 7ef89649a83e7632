"""A stand-in for the campaign service's coupon RPCs the gateway reads: coupons in a
dict, per tenant and member. Issuing is the test's job (`give`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from grpc import aio
from typing_extensions import override

from gateway.tests.integration.unserved import unserved
from libs.ids import new_id
from libs.timestamps import timestamp
from loyalty.campaign.v1 import coupons_pb2 as pb
from loyalty.campaign.v1 import coupons_pb2_grpc

Context = aio.ServicerContext[Any, Any]


@dataclass
class FakeCouponService(coupons_pb2_grpc.CouponServiceServicer):
    coupons: dict[tuple[str, str], list[pb.Coupon]] = field(default_factory=dict)

    CreateCouponTemplate = GetCouponTemplate = ListCouponTemplates = unserved
    PauseCouponTemplate = ResumeCouponTemplate = GenerateCoupons = ListBatchCoupons = unserved
    IssueCoupon = CreatePublicCode = ValidateCoupon = RedeemCoupon = unserved

    def give(self, tenant_id: str, member_id: str, campaign_id: str = "") -> pb.Coupon:
        coupon = pb.Coupon(
            coupon_id=new_id("cpn"),
            code=new_id()[:12].upper(),
            template_id="tpl_1",
            kind="member",
            member_id=member_id,
            issued_at=timestamp(datetime.now(UTC)),
            max_redemptions=1,
            state="available",
            campaign_id=campaign_id,
            name="CNY 20 off",
            discount=pb.CouponDiscount(kind="amount_off", amount="20.00", currency="CNY"),
        )
        self.coupons.setdefault((tenant_id, member_id), []).append(coupon)
        return coupon

    @override
    async def ListMemberCoupons(
        self, request: pb.ListMemberCouponsRequest, context: Context
    ) -> pb.ListMemberCouponsResponse:
        held = self.coupons.get((request.tenant_id, request.member_id), [])
        return pb.ListMemberCouponsResponse(coupons=[pb.MemberCoupon(coupon=c) for c in held])
