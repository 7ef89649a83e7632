"""The FastAPI application: middleware, error handlers, routes and the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware import Middleware

from gateway.campaigns.audience_bodies import BODY_MODELS as AUDIENCE_BODIES
from gateway.campaigns.bodies import BODY_MODELS as CAMPAIGN_BODIES
from gateway.container import close_container, open_container
from gateway.cors import CorsMiddleware
from gateway.coupons.bodies import BODY_MODELS as COUPON_BODIES
from gateway.grpc_errors import install_rpc_error_handler
from gateway.idempotency.recorder import IdempotencyRecorder, install_idempotency
from gateway.key_models import BODY_MODELS as KEY_BODIES
from gateway.members.merge_models import BODY_MODELS as MERGE_BODIES
from gateway.members.models import EnrollMemberBody
from gateway.members.profile_models import BODY_MODELS as MEMBER_BODIES
from gateway.members.tier_models import BODY_MODELS as TIER_BODIES
from gateway.metrics.http import MetricsMiddleware
from gateway.metrics.instruments import GatewayMetrics
from gateway.middleware import BodyLimitMiddleware, UnhandledErrorMiddleware
from gateway.openapi import install_openapi
from gateway.points.admin_bodies import BODY_MODELS as POINTS_ADMIN_BODIES
from gateway.points.bodies import BODY_MODELS as POINTS_BODIES
from gateway.problems import Problem, install_problem_handlers
from gateway.request_id import RequestIdMiddleware
from gateway.routes import (
    admin,
    admin_keys,
    auth_sessions,
    campaign_insights,
    campaigns,
    carts,
    console,
    coupon_templates,
    coupons,
    health,
    member_admin,
    member_code,
    member_identities,
    member_merge,
    member_privacy,
    member_profile,
    member_search,
    member_tiers,
    members,
    metrics,
    orders,
    points,
    points_admin,
    redemptions,
    segments,
)
from gateway.settings import GatewaySettings
from libs.logging import get_logger

log = get_logger(__name__)

DESCRIPTION = (
    "One member, one points wallet and one tier across every channel. "
    "Authenticate with `Authorization: Bearer <api key>`; errors are RFC 9457 problem+json."
)


def create_app(settings: GatewaySettings) -> FastAPI:
    measured = GatewayMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        container = await open_container(settings, measured)
        app.state.container = container
        log.info("gateway_started", member=settings.member_addr, points=settings.points_addr)
        try:
            yield
        finally:
            await close_container(container)
            log.info("gateway_stopped")

    app = FastAPI(
        title="Loyalty platform API",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        middleware=[
            Middleware(RequestIdMiddleware),
            Middleware(MetricsMiddleware, metrics=measured),
            Middleware(CorsMiddleware),
            Middleware(UnhandledErrorMiddleware),
            Middleware(
                BodyLimitMiddleware,
                max_bytes=settings.max_body_bytes,
                by_path=points_admin.LARGE_BODIES,
            ),
            Middleware(IdempotencyRecorder),
        ],
    )
    app.state.metrics = measured
    install_problem_handlers(app)
    install_rpc_error_handler(app)
    install_idempotency(app)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(members.router)
    app.include_router(member_privacy.router)
    app.include_router(member_identities.router)
    app.include_router(member_profile.router)
    app.include_router(member_code.router)
    app.include_router(member_merge.router)
    app.include_router(orders.router)
    app.include_router(redemptions.router)
    app.include_router(points.router)
    app.include_router(admin.router)
    app.include_router(admin_keys.router)
    app.include_router(auth_sessions.router)
    app.include_router(member_admin.router)
    app.include_router(member_search.router)
    app.include_router(member_tiers.router)
    app.include_router(points_admin.router)
    app.include_router(campaigns.router)
    app.include_router(campaign_insights.router)
    app.include_router(segments.router)
    app.include_router(coupon_templates.router)
    app.include_router(coupons.router)
    app.include_router(carts.router)
    app.include_router(console.router)
    install_openapi(
        app,
        [
            Problem,
            EnrollMemberBody,
            *MEMBER_BODIES,
            *TIER_BODIES,
            *MERGE_BODIES,
            *POINTS_BODIES,
            *POINTS_ADMIN_BODIES,
            *KEY_BODIES,
            *auth_sessions.BODY_MODELS,
            *CAMPAIGN_BODIES,
            *AUDIENCE_BODIES,
            *COUPON_BODIES,
        ],
    )
    return app
