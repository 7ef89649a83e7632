"""The coupons context assembled: templates, issuing, redemption and its CouponService,
and the coupon issuer it offers the campaigns context."""

from __future__ import annotations

from dataclasses import dataclass

from libs.clock import utc_now
from libs.grpc.server import Servicer
from libs.runtime import Assembly, Runtime
from libs.unit_of_work import MongoUnitOfWork
from loyalty.campaign.v1 import coupons_pb2, coupons_pb2_grpc
from services.campaign.coupons.adapters.events import coupon_to_outbox
from services.campaign.coupons.adapters.repositories import (
    MongoCouponRepositories,
    ensure_coupon_indexes,
)
from services.campaign.coupons.domain.issues import CouponIssuer
from services.campaign.coupons.entrypoints.consumers import coupon_merge_consumer
from services.campaign.coupons.entrypoints.servicer import CouponServicer
from services.campaign.coupons.handlers.issue import Coupons

SERVICE_NAME = coupons_pb2.DESCRIPTOR.services_by_name["CouponService"].full_name


@dataclass(frozen=True)
class CouponsContext:
    assembly: Assembly
    # Issues coupons to members, each once per issue key (campaigns and operators).
    issuer: CouponIssuer


async def build_coupons(runtime: Runtime) -> CouponsContext:
    await ensure_coupon_indexes(runtime.db)
    uow = MongoUnitOfWork(
        runtime.mongo, runtime.db, MongoCouponRepositories, coupon_to_outbox, runtime.relay
    )
    coupons = Coupons(uow, utc_now)
    servicer = Servicer(
        coupons_pb2_grpc.add_CouponServiceServicer_to_server,
        CouponServicer(uow, coupons, utc_now),
        SERVICE_NAME,
    )
    # The merged member's coupons move to the survivor.
    merges = coupon_merge_consumer(runtime.nats, uow)
    return CouponsContext(Assembly(servicers=[servicer], workers=[merges]), coupons)
