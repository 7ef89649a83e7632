"""Everything the routes use, opened at start and closed at shutdown."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, cast

from fastapi import Request
from grpc import aio
from redis.asyncio import Redis
from redis.exceptions import RedisError

from gateway.access.approvals.store import ApprovalStore
from gateway.edge.audit.store import COLLECTION as AUDIT_COLLECTION
from gateway.edge.audit.store import AuditStore
from gateway.edge.idempotency.store import IdempotencyStore
from gateway.edge.limits.bucket import RateLimiter
from gateway.edge.limits.policy import Bucket
from gateway.edge.metrics.channels import timed_channel
from gateway.edge.metrics.instruments import GatewayMetrics
from gateway.settings import GatewaySettings
from gateway.tenancy.branding import TenantBranding
from gateway.tenancy.code_uses import MemberCodeUses
from gateway.tenancy.keys import KeyStore
from gateway.tenancy.member_sessions import MemberSessionStore
from gateway.tenancy.operations import OPERATIONS, OperationStore
from gateway.tenancy.operators.lookups import SessionLookups
from gateway.tenancy.operators.sessions import SessionStore
from gateway.tenancy.operators.store import OperatorStore
from gateway.tenancy.operators.throttle import HashGate, RefusalCount, SignInThrottle
from gateway.tenancy.platform_admins import PlatformAdmins
from gateway.tenancy.policies import TenantPolicies, default_limits
from gateway.tenancy.suspension import TenantSuspensions
from gateway.tenancy.tenant_languages import TenantLanguages
from gateway.tenancy.tenants import TenantStore
from libs.balance_view import BalanceViews
from libs.lean_redis import LeanRedis
from libs.logging import get_logger
from libs.mongo import Database, MongoClient, make_client
from libs.redis import make_redis
from loyalty.analytics.v1 import analytics_pb2_grpc
from loyalty.campaign.v1 import campaign_pb2_grpc
from loyalty.member.v1 import member_pb2_grpc
from loyalty.points.v1 import points_pb2_grpc

if TYPE_CHECKING:
    from loyalty.analytics.v1.analytics_pb2_grpc import AnalyticsServiceAsyncStub
    from loyalty.campaign.v1.campaign_pb2_grpc import CampaignServiceAsyncStub
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub

log = get_logger(__name__)


@dataclass(frozen=True)
class Container:
    settings: GatewaySettings
    mongo: MongoClient
    db: Database
    keys: KeyStore
    tenants: TenantStore
    channels: Mapping[str, aio.Channel]
    member: MemberServiceAsyncStub
    points: PointsServiceAsyncStub
    campaign: CampaignServiceAsyncStub
    idempotency: IdempotencyStore
    redis: Redis
    limiter: RateLimiter
    policies: TenantPolicies
    operators: OperatorStore
    sessions: SessionStore
    session_lookups: SessionLookups
    code_uses: MemberCodeUses
    sign_in_throttle: SignInThrottle
    hash_gate: HashGate
    member_sessions: MemberSessionStore
    branding: TenantBranding
    # The operators' audit trail (append-only; written only by gateway.edge.audit.recorder).
    audit: AuditStore
    # Requests waiting for a second operator, and each tenant's approval policy.
    approvals: ApprovalStore
    # Credentials above tenants (the platform API), and the tenants suspended by them.
    platform_admins: PlatformAdmins
    suspensions: TenantSuspensions
    # The languages each tenant offers, cached briefly (every answer that speaks reads them).
    languages: TenantLanguages
    # The balance read model the points service keeps in Redis (libs/balance_view.py).
    balances: BalanceViews | None = None
    # Its balance reads' own connection to that Redis (gateway/points/fast_read.py), if on.
    lean_redis: LeanRedis | None = None
    # The analytics service, when configured; not among `channels` (readiness peers).
    analytics: AnalyticsServiceAsyncStub | None = None
    analytics_channel: aio.Channel | None = None
    # Refused sign-ins counted for the audit trail (one entry per power of ten a window).
    sign_in_refusals: RefusalCount = field(default_factory=RefusalCount)


@dataclass(frozen=True)
class Stores:
    """The gateway's own database and what it keeps there."""

    mongo: MongoClient
    db: Database
    keys: KeyStore
    tenants: TenantStore
    idempotency: IdempotencyStore
    operators: OperatorStore
    sessions: SessionStore
    code_uses: MemberCodeUses
    member_sessions: MemberSessionStore
    audit: AuditStore
    approvals: ApprovalStore
    platform_admins: PlatformAdmins

    async def ensure_indexes(self) -> None:
        await self.code_uses.ensure_indexes()
        await self.keys.ensure_indexes()
        await self.idempotency.ensure_indexes()
        await self.operators.ensure_indexes()
        await self.sessions.ensure_indexes()
        await self.member_sessions.ensure_indexes()
        await OperationStore(self.db[OPERATIONS]).ensure_indexes()
        await self.audit.ensure_indexes()
        await self.approvals.ensure_indexes()
        await self.platform_admins.ensure_indexes()


def open_stores(settings: GatewaySettings, *, key_cache_seconds: float | None = None) -> Stores:
    timeout_ms = settings.mongo_timeout_ms
    mongo = make_client(settings.mongo_url, app_name="gateway", timeout_ms=timeout_ms)
    db = mongo[settings.mongo_db]
    cache = settings.key_cache_seconds if key_cache_seconds is None else key_cache_seconds
    keys = KeyStore(db["api_keys"], cache_seconds=cache)
    idempotency = IdempotencyStore(
        db["idempotency"],
        ttl=timedelta(hours=settings.idempotency_ttl_hours),
        lease=timedelta(seconds=settings.idempotency_lease_seconds),
    )
    return Stores(
        mongo=mongo,
        db=db,
        keys=keys,
        tenants=TenantStore(db["tenants"]),
        idempotency=idempotency,
        operators=OperatorStore(db["operators"]),
        sessions=SessionStore(
            db["operator_sessions"],
            lifetime=timedelta(minutes=settings.operator_session_minutes),
        ),
        code_uses=MemberCodeUses(db["member_code_uses"]),
        member_sessions=MemberSessionStore(db["member_sessions"]),
        audit=AuditStore(db[AUDIT_COLLECTION]),
        approvals=ApprovalStore(db["approvals"], db["approval_policies"]),
        platform_admins=PlatformAdmins(db["platform_admins"]),
    )


async def open_container(
    settings: GatewaySettings, metrics: GatewayMetrics | None = None
) -> Container:
    """Connect to the gateway's database (creating its indexes) and to the three services."""
    stores = open_stores(settings)
    try:
        await stores.ensure_indexes()
    except BaseException:
        await stores.mongo.close()
        raise
    timeout = settings.grpc_timeout_seconds
    redis = make_redis(
        settings.redis_url, timeout_seconds=settings.rate_limit_redis_timeout_seconds
    )
    policies = TenantPolicies(
        stores.db["tenants"], default_limits(settings), cache_seconds=settings.tenant_cache_seconds
    )
    limiter = RateLimiter(redis)
    suspensions = TenantSuspensions(stores.db["tenants"], redis)
    await _restore_suspensions(suspensions)
    per_address = Bucket(settings.sign_in_address_per_second, settings.sign_in_address_burst)
    timed = GatewayMetrics() if metrics is None else metrics
    addresses = {
        "member": settings.member_addr,
        "points": settings.points_addr,
        "campaign": settings.campaign_addr,
    }
    channels = {
        peer: timed_channel(address, default_timeout=timeout, metrics=timed, tls=settings.grpc_tls)
        for peer, address in addresses.items()
    }
    analytics_channel = None
    if settings.analytics_addr:
        analytics_channel = timed_channel(
            settings.analytics_addr, default_timeout=timeout, metrics=timed, tls=settings.grpc_tls
        )
    return Container(
        settings=settings,
        mongo=stores.mongo,
        db=stores.db,
        keys=stores.keys,
        tenants=stores.tenants,
        channels=channels,
        member=member_pb2_grpc.MemberServiceStub(channels["member"]),
        points=points_pb2_grpc.PointsServiceStub(channels["points"]),
        campaign=campaign_pb2_grpc.CampaignServiceStub(channels["campaign"]),
        idempotency=stores.idempotency,
        redis=redis,
        limiter=limiter,
        policies=policies,
        operators=stores.operators,
        sessions=stores.sessions,
        session_lookups=SessionLookups(
            stores.sessions,
            Bucket(settings.session_failures_per_second, settings.session_failures_burst),
            cache_seconds=settings.key_cache_seconds,
        ),
        code_uses=stores.code_uses,
        sign_in_throttle=SignInThrottle(limiter, per_address),
        hash_gate=HashGate(settings.sign_in_concurrent_hashes, settings.sign_in_waiting_hashes),
        member_sessions=stores.member_sessions,
        branding=TenantBranding(stores.db["tenants"], cache_seconds=settings.tenant_cache_seconds),
        audit=stores.audit,
        approvals=stores.approvals,
        platform_admins=stores.platform_admins,
        suspensions=suspensions,
        languages=TenantLanguages(
            stores.db["tenants"], cache_seconds=settings.tenant_cache_seconds
        ),
        balances=BalanceViews(redis),
        lean_redis=(
            LeanRedis(settings.redis_url, timeout_seconds=settings.rate_limit_redis_timeout_seconds)
            if settings.balance_fast_path
            else None
        ),
        analytics=(
            None
            if analytics_channel is None
            else analytics_pb2_grpc.AnalyticsServiceStub(analytics_channel)
        ),
        analytics_channel=analytics_channel,
    )


async def _restore_suspensions(suspensions: TenantSuspensions) -> None:
    """Suspended tenants' flags back in Redis (lost if it restarted without persistence);
    a gateway starting while Redis is away still reads the documents per request."""
    try:
        await suspensions.restore()
    except (RedisError, OSError, TimeoutError) as exc:
        log.warning("suspensions_not_restored", error=repr(exc))


async def close_container(container: Container) -> None:
    extra = [] if container.analytics_channel is None else [container.analytics_channel]
    for channel in [*container.channels.values(), *extra]:
        with contextlib.suppress(Exception):
            await channel.close(None)
    with contextlib.suppress(Exception):
        await container.redis.aclose()
    if container.lean_redis is not None:
        await container.lean_redis.aclose()
    await container.mongo.close()


async def get_container(request: Request) -> Container:
    """Async although it awaits nothing, like every dependency of the gateway: FastAPI runs
    a plain `def` dependency in a worker thread, a thread hop per request (docs/performance.md)."""
    return cast(Container, request.app.state.container)
