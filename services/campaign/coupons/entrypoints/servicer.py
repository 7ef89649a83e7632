"""The CouponService gRPC API: translate, call a handler, translate back."""

from __future__ import annotations

from dataclasses import replace

from libs.clock import Clock
from libs.errors import InvalidArgument
from libs.grpc.requests import Context, tenant_of
from libs.timestamps import optional_timestamp
from loyalty.campaign.v1 import coupons_pb2 as pb
from loyalty.campaign.v1 import coupons_pb2_grpc
from services.campaign.coupons.domain.issues import CouponIssue
from services.campaign.coupons.domain.ports import CouponUnitOfWork
from services.campaign.coupons.domain.redemptions import RedeemRequest
from services.campaign.coupons.domain.templates import TemplateStatus
from services.campaign.coupons.entrypoints.translators import (
    coupon_message,
    decimal_of,
    definition_from,
    purchase_from,
    template_message,
    usage_message,
)
from services.campaign.coupons.handlers import admin
from services.campaign.coupons.handlers.admin import MAX_BATCH_PAGE, PublicCode
from services.campaign.coupons.handlers.issue import Coupons
from services.campaign.coupons.handlers.queries import member_coupons
from services.campaign.coupons.handlers.redeem import redeem_coupon, validate_coupon


class CouponServicer(coupons_pb2_grpc.CouponServiceServicer):
    def __init__(self, uow: CouponUnitOfWork, coupons: Coupons, clock: Clock) -> None:
        self._uow = uow
        self._coupons = coupons
        self._clock = clock

    async def CreateCouponTemplate(
        self, request: pb.CreateCouponTemplateRequest, context: Context
    ) -> pb.CreateCouponTemplateResponse:
        definition = definition_from(request.definition)
        template = await admin.create_template(
            tenant_of(request.tenant_id), definition, self._uow, self._clock
        )
        return pb.CreateCouponTemplateResponse(template=template_message(template))

    async def GetCouponTemplate(
        self, request: pb.GetCouponTemplateRequest, context: Context
    ) -> pb.GetCouponTemplateResponse:
        tenant_id = tenant_of(request.tenant_id)
        template = await admin.get_template(tenant_id, request.template_id, self._uow)
        [usage] = await admin.template_usage(tenant_id, [template.template_id], self._uow)
        return pb.GetCouponTemplateResponse(
            template=template_message(template), usage=usage_message(usage)
        )

    async def ListCouponTemplates(
        self, request: pb.ListCouponTemplatesRequest, context: Context
    ) -> pb.ListCouponTemplatesResponse:
        tenant_id = tenant_of(request.tenant_id)
        templates = await admin.list_templates(tenant_id, request.limit, self._uow)
        usage = await admin.template_usage(tenant_id, [t.template_id for t in templates], self._uow)
        return pb.ListCouponTemplatesResponse(
            templates=[template_message(t) for t in templates],
            usage=[usage_message(u) for u in usage],
        )

    async def PauseCouponTemplate(
        self, request: pb.PauseCouponTemplateRequest, context: Context
    ) -> pb.PauseCouponTemplateResponse:
        template = await admin.set_template_status(
            tenant_of(request.tenant_id),
            request.template_id,
            TemplateStatus.PAUSED,
            self._uow,
            self._clock,
        )
        return pb.PauseCouponTemplateResponse(template=template_message(template))

    async def ResumeCouponTemplate(
        self, request: pb.ResumeCouponTemplateRequest, context: Context
    ) -> pb.ResumeCouponTemplateResponse:
        template = await admin.set_template_status(
            tenant_of(request.tenant_id),
            request.template_id,
            TemplateStatus.ACTIVE,
            self._uow,
            self._clock,
        )
        return pb.ResumeCouponTemplateResponse(template=template_message(template))

    async def GenerateCoupons(
        self, request: pb.GenerateCouponsRequest, context: Context
    ) -> pb.GenerateCouponsResponse:
        batch_id, count = await admin.generate_coupons(
            tenant_of(request.tenant_id),
            request.template_id,
            request.count,
            self._uow,
            self._clock,
            request_id=request.request_id,
        )
        return pb.GenerateCouponsResponse(batch_id=batch_id, count=count)

    async def ListBatchCoupons(
        self, request: pb.ListBatchCouponsRequest, context: Context
    ) -> pb.ListBatchCouponsResponse:
        limit = min(request.limit or MAX_BATCH_PAGE, MAX_BATCH_PAGE)
        coupons = await admin.batch_coupons(
            tenant_of(request.tenant_id), request.batch_id, request.after, limit, self._uow
        )
        now = self._clock()
        full = len(coupons) == limit
        return pb.ListBatchCouponsResponse(
            coupons=[coupon_message(c, None, now) for c in coupons],
            next_after=coupons[-1].code if coupons and full else "",
        )

    async def IssueCoupon(
        self, request: pb.IssueCouponRequest, context: Context
    ) -> pb.IssueCouponResponse:
        tenant_id = tenant_of(request.tenant_id)
        issue = CouponIssue(tenant_id, request.member_id, request.template_id, request.issue_key)
        issued = await self._coupons.issue(issue)
        checked = await validate_coupon(
            tenant_id,
            issued.code,
            purchase_from(pb.CouponPurchase(member_id=request.member_id), self._clock()),
            self._uow,
        )
        coupon = coupon_message(checked.coupon, checked.template, self._clock())
        return pb.IssueCouponResponse(coupon=coupon, replayed=issued.replayed)

    async def CreatePublicCode(
        self, request: pb.CreatePublicCodeRequest, context: Context
    ) -> pb.CreatePublicCodeResponse:
        cmd = PublicCode(
            tenant_of(request.tenant_id),
            request.template_id,
            request.code,
            request.usage_limit,
            request.per_member_limit if request.HasField("per_member_limit") else None,
        )
        coupon = await admin.create_public_code(cmd, self._uow, self._clock)
        template = await admin.get_template(cmd.tenant_id, coupon.template_id, self._uow)
        return pb.CreatePublicCodeResponse(coupon=coupon_message(coupon, template, self._clock()))

    async def ValidateCoupon(
        self, request: pb.ValidateCouponRequest, context: Context
    ) -> pb.ValidateCouponResponse:
        now = self._clock()
        purchase = purchase_from(request.purchase, now)
        checked = await validate_coupon(
            tenant_of(request.tenant_id), request.code, purchase, self._uow
        )
        return pb.ValidateCouponResponse(
            coupon=coupon_message(checked.coupon, checked.template, now),
            valid=checked.reason is None,
            reason="" if checked.reason is None else checked.reason.value,
        )

    async def RedeemCoupon(
        self, request: pb.RedeemCouponRequest, context: Context
    ) -> pb.RedeemCouponResponse:
        p = request.purchase
        cmd = RedeemRequest(
            tenant_id=tenant_of(request.tenant_id),
            redemption_id=request.redemption_id,
            code=request.code,
            member_id=p.member_id,
            order_id=p.order_id,
            total=decimal_of(p.total, "total"),
            currency=p.currency,
            channel=p.channel,
            store_id=p.store_id,
        )
        done = await redeem_coupon(cmd, self._uow, self._clock)
        return pb.RedeemCouponResponse(
            redemption_id=done.redemption.redemption_id,
            coupon=coupon_message(done.coupon, done.template, done.redemption.redeemed_at),
            redeemed_at=optional_timestamp(done.redemption.redeemed_at),
            replayed=done.replayed,
        )

    async def ListMemberCoupons(
        self, request: pb.ListMemberCouponsRequest, context: Context
    ) -> pb.ListMemberCouponsResponse:
        if not request.member_id:
            raise InvalidArgument("member_id: required")
        now = self._clock()
        cart = None
        if request.HasField("cart"):
            cart = replace(purchase_from(request.cart, now), member_id=request.member_id)
        found = await member_coupons(
            self._uow, tenant_of(request.tenant_id), request.member_id, request.limit, cart
        )
        return pb.ListMemberCouponsResponse(
            coupons=[
                pb.MemberCoupon(
                    coupon=coupon_message(m.coupon, m.template, now),
                    applicable=cart is not None and m.reason is None,
                    reason="" if m.reason is None else m.reason.value,
                )
                for m in found
            ]
        )
