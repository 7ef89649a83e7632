"""The FastAPI application: middleware, error handlers, routes and the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware import Middleware

from gateway.access import key_routes, operator_routes, session_routes, whoami_routes
from gateway.access.approvals.hold import install_approvals
from gateway.access.key_bodies import BODY_MODELS as KEY_BODIES
from gateway.analytics import churn as analytics_churn
from gateway.analytics import league as analytics_league
from gateway.analytics import ratings_routes as analytics_ratings
from gateway.analytics import routes as analytics
from gateway.analytics.bodies import BODY_MODELS as ANALYTICS_BODIES
from gateway.approvals import routes as approvals
from gateway.approvals.answers import HeldOut
from gateway.approvals.bodies import BODY_MODELS as APPROVAL_BODIES
from gateway.approvals.gates import GATES as APPROVAL_GATES
from gateway.approvals.recovery import recovering_approvals
from gateway.audit import routes as audit
from gateway.audit.declarations import DECLARATIONS as AUDIT_DECLARATIONS
from gateway.campaigns import backtest_background
from gateway.campaigns import insights_routes as campaign_insights
from gateway.campaigns import routes as campaigns
from gateway.campaigns import segments_routes as segments
from gateway.campaigns.audience_bodies import BODY_MODELS as AUDIENCE_BODIES
from gateway.campaigns.bodies import BODY_MODELS as CAMPAIGN_BODIES
from gateway.carts import routes as carts
from gateway.carts.bodies import BODY_MODELS as CART_BODIES
from gateway.console import routes as console
from gateway.contact.feedback import admin_routes as feedback_admin
from gateway.contact.feedback import member_routes as member_feedback
from gateway.contact.feedback.bodies import BODY_MODELS as FEEDBACK_BODIES
from gateway.contact.timeline import routes as timeline
from gateway.contact.timeline.bodies import BODY_MODELS as TIMELINE_BODIES
from gateway.contact.timeline.worker import running_timeline
from gateway.container import close_container, open_container
from gateway.coupons import generate_background
from gateway.coupons import routes as coupons
from gateway.coupons import templates_routes as coupon_templates
from gateway.coupons.bodies import BODY_MODELS as COUPON_BODIES
from gateway.edge.audit.recorder import AuditRecorder
from gateway.edge.idempotency.recorder import IdempotencyRecorder, install_idempotency
from gateway.edge.metrics.instruments import GatewayMetrics
from gateway.edge.middleware import GuardMiddleware
from gateway.edge.problems import Problem, install_problem_handlers
from gateway.edge.request_id import RequestMiddleware
from gateway.edge.rpc_errors import install_rpc_error_handler
from gateway.export import routes as member_export
from gateway.matrix import MATRIX
from gateway.member_sessions import handoff_routes as member_handoffs
from gateway.member_sessions import messages_routes as member_code_messages
from gateway.member_sessions import otp_routes as member_sign_in
from gateway.member_sessions import routes as member_sessions
from gateway.member_sessions.bodies import BODY_MODELS as MEMBER_SESSION_BODIES
from gateway.members import admin_routes as member_admin
from gateway.members import code_routes as member_code
from gateway.members import identities_routes as member_identities
from gateway.members import merge_routes as member_merge
from gateway.members import privacy_routes as member_privacy
from gateway.members import profile_routes as member_profile
from gateway.members import routes as members
from gateway.members import search_routes as member_search
from gateway.members import tiers_routes as member_tiers
from gateway.members.bodies import EnrollMemberBody
from gateway.members.merge_bodies import BODY_MODELS as MERGE_BODIES
from gateway.members.profile_bodies import BODY_MODELS as MEMBER_BODIES
from gateway.members.replays import PERSONAL_ANSWERS
from gateway.members.tier_bodies import BODY_MODELS as TIER_BODIES
from gateway.openapi.docs_ui import install_docs_ui
from gateway.openapi.document import install_openapi
from gateway.operations import routes as operation_routes
from gateway.operations.bodies import BODY_MODELS as OPERATION_BODIES
from gateway.ops import health_routes as health
from gateway.ops import metrics_routes as metrics
from gateway.ops import platform_routes as platform_health
from gateway.points import admin_bulk_background
from gateway.points import admin_member_history as member_history
from gateway.points import admin_order_routes as order_admin
from gateway.points import admin_redemption_routes as redemption_admin
from gateway.points import admin_routes as points_admin
from gateway.points import orders_routes as orders
from gateway.points import redemptions_routes as redemptions
from gateway.points import routes as points
from gateway.points.admin_bodies import BODY_MODELS as POINTS_ADMIN_BODIES
from gateway.points.bodies import BODY_MODELS as POINTS_BODIES
from gateway.points.exchange_rates import routes as exchange_rates
from gateway.points.exchange_rates.bodies import BODY_MODELS as EXCHANGE_RATE_BODIES
from gateway.points.fast_read import BalanceReads
from gateway.settings import GatewaySettings
from gateway.shared.operation_runner import Work, running_operations
from gateway.tenancy.cors import CorsMiddleware
from gateway.tenancy.operations import OPERATIONS, OperationStore
from gateway.tenants import platform_routes as platform_tenants
from gateway.tenants import routes as tenant_branding
from gateway.tenants.bodies import BODY_MODELS as TENANT_BODIES
from gateway.tenants.platform_bodies import BODY_MODELS as PLATFORM_BODIES
from gateway.webhooks import delivery_routes as webhook_deliveries
from gateway.webhooks import routes as webhooks
from gateway.webhooks.bodies import BODY_MODELS as WEBHOOK_BODIES
from gateway.webhooks.worker import running_webhooks
from libs import task_census, tracing
from libs.logging import get_logger
from libs.metrics.certificates import record_certificate_expiry

log = get_logger(__name__)

DESCRIPTION = (
    "One member, one points wallet and one tier across every channel. "
    "Authenticate with `Authorization: Bearer <api key>` (a brand's backends), or with a "
    "member token acting for one member (the app, the mini-program, the member centre: "
    "`POST /v1/members/{member_id}/sessions`, `POST /v1/member-sessions`); errors are "
    "RFC 9457 problem+json."
)


# FastAPI tries the routers in this order for every request, each check costing a few
# microseconds: the touchpoints' most frequent requests (balance reads, purchases,
# redemptions) come first. No route of one router matches another router's paths
# (gateway/tests/unit/test_route_order.py), so the order never changes which route answers.
ROUTERS = (
    points.router,
    orders.router,
    redemptions.router,
    health.router,
    metrics.router,
    members.router,
    member_privacy.router,
    member_export.router,
    member_identities.router,
    member_profile.router,
    member_code.router,
    member_merge.router,
    member_sessions.router,
    member_handoffs.router,
    member_sign_in.router,
    member_code_messages.router,
    whoami_routes.router,
    key_routes.router,
    operator_routes.router,
    session_routes.router,
    member_admin.router,
    member_search.router,
    member_tiers.router,
    points_admin.router,
    exchange_rates.router,
    order_admin.router,
    member_history.router,
    redemption_admin.router,
    campaigns.router,
    campaign_insights.router,
    segments.router,
    segments.rfm_router,
    coupon_templates.router,
    coupons.router,
    carts.router,
    operation_routes.router,
    tenant_branding.router,
    platform_tenants.router,
    analytics.router,
    platform_health.router,
    analytics_churn.router,
    analytics_league.router,
    analytics_ratings.router,
    audit.router,
    approvals.router,
    webhooks.router,
    webhook_deliveries.router,
    timeline.router,
    member_feedback.router,
    feedback_admin.router,
    console.router,
)


# What the gateway runs in the background, by operation kind (gateway/shared/operation_runner.py).
BACKGROUND_WORKS: dict[str, Work] = {
    admin_bulk_background.KIND: admin_bulk_background.run_bulk_adjustment,
    backtest_background.KIND: backtest_background.run_backtest,
    generate_background.KIND: generate_background.run_coupon_generation,
}


def create_app(settings: GatewaySettings) -> FastAPI:
    measured = GatewayMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        container = await open_container(settings, measured)
        if (tls := settings.grpc_tls) is not None:
            record_certificate_expiry(tls.cert)
        app.state.container = container
        task_census.install()
        log.info("gateway_started", member=settings.member_addr, points=settings.points_addr)
        try:
            async with (
                running_webhooks(settings, container.db, container.redis),
                running_timeline(settings, container.mongo, container.db),
                running_operations(
                    container,
                    OperationStore(container.db[OPERATIONS]),
                    BACKGROUND_WORKS,
                    enabled=settings.operation_worker,
                    lease_seconds=settings.operation_lease_seconds,
                    poll_seconds=settings.operation_poll_seconds,
                    grace_seconds=settings.shutdown_grace_seconds,
                    concurrency=settings.operations_concurrency,
                    per_tenant=settings.operations_per_tenant,
                ),
                recovering_approvals(
                    app,
                    container.approvals,
                    container.audit,
                    enabled=settings.approval_recovery,
                    lease_seconds=settings.approval_lease_seconds,
                    poll_seconds=settings.approval_recovery_poll_seconds,
                    grace_seconds=settings.shutdown_grace_seconds,
                ),
            ):
                yield
        finally:
            await close_container(container)
            log.info("gateway_stopped")

    app = FastAPI(
        title="Loyalty platform API",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        # FastAPI's own server span per request (continuing a caller's `traceparent`) while
        # this process traces (libs/tracing.py); its metrics and logs would repeat ours.
        telemetry={
            "tracing": tracing.enabled(),
            "operation_spans": False,
            "metrics": False,
            "logs": False,
            "auto_configure": False,
        },
        middleware=[
            Middleware(RequestMiddleware, metrics=measured),
            Middleware(CorsMiddleware),
            Middleware(AuditRecorder),
            Middleware(
                GuardMiddleware,
                max_bytes=settings.max_body_bytes,
                by_path=points_admin.LARGE_BODIES,
            ),
            Middleware(IdempotencyRecorder),
            # innermost: balance reads answered before the router (gateway/points/fast_read.py)
            Middleware(BalanceReads, metrics=measured),
        ],
    )
    app.state.metrics = measured
    app.state.matrix = MATRIX
    app.state.personal_answers = PERSONAL_ANSWERS
    app.state.audit_declarations = AUDIT_DECLARATIONS
    install_problem_handlers(app)
    install_rpc_error_handler(app)
    install_idempotency(app)
    install_approvals(app, APPROVAL_GATES)
    for router in ROUTERS:
        app.include_router(router)
    if settings.api_docs_ui:
        install_docs_ui(app)
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
            *EXCHANGE_RATE_BODIES,
            *KEY_BODIES,
            *session_routes.BODY_MODELS,
            *MEMBER_SESSION_BODIES,
            *operator_routes.BODY_MODELS,
            *CAMPAIGN_BODIES,
            *AUDIENCE_BODIES,
            *COUPON_BODIES,
            *CART_BODIES,
            *OPERATION_BODIES,
            *TENANT_BODIES,
            *PLATFORM_BODIES,
            *ANALYTICS_BODIES,
            *APPROVAL_BODIES,
            HeldOut,
            *WEBHOOK_BODIES,
            *TIMELINE_BODIES,
            *FEEDBACK_BODIES,
        ],
    )
    return app
