"""What the gateway process needs, read once from the environment at its composition root."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, model_validator

from libs.settings import CommonSettings

# host:port, where host may be a name, an IPv4 address or a bracketed IPv6 address.
PEER_ADDRESS = r"^\S+:\d{1,5}$"
METRICS_URL = r"^(https?://\S+)?$"


class GatewaySettings(CommonSettings):
    gateway_host: str = "127.0.0.1"
    gateway_port: int = Field(default=8000, gt=0, lt=65536)
    member_addr: str = Field(pattern=PEER_ADDRESS)
    points_addr: str = Field(pattern=PEER_ADDRESS)
    campaign_addr: str = Field(pattern=PEER_ADDRESS)
    # The analytics service; empty: the analytics reports answer 503. Not a readiness peer:
    # the reports being away never takes the tills' gateway out of service.
    analytics_addr: str = Field(default="", pattern=PEER_ADDRESS + "|^$")
    mongo_db: str = Field(default="loyalty_gateway", min_length=1)
    grpc_timeout_seconds: float = Field(default=2.0, gt=0)
    max_body_bytes: int = Field(default=64 * 1024, gt=0)
    # A revoked key keeps working in other gateway processes for at most this long.
    key_cache_seconds: float = Field(default=5.0, ge=0)
    # Idempotency-Key records: kept this long (docs/api.md: at least 24 hours); a second request
    # with a running key waits this long for the first answer before 409; a claim whose
    # process died is free again after the lease.
    idempotency_ttl_hours: float = Field(default=24.0, ge=24)
    idempotency_wait_seconds: float = Field(default=2.0, ge=0)
    idempotency_lease_seconds: float = Field(default=30.0, gt=0)
    # Token buckets (requests a second, burst) per API key and per tenant; a tenant's
    # document may override them (`rate_limits`). docs/api.md: at least 50/s per key.
    rate_limit_key_per_second: float = Field(default=50.0, gt=0)
    rate_limit_key_burst: int = Field(default=100, ge=1)
    rate_limit_tenant_per_second: float = Field(default=500.0, gt=0)
    rate_limit_tenant_burst: int = Field(default=1000, ge=1)
    # The limiter gives up on Redis after this long and lets the request through.
    rate_limit_redis_timeout_seconds: float = Field(default=0.25, gt=0)
    # Balance reads answered before FastAPI's router when the read model has the entry
    # (gateway/points/fast_read.py); off, every read goes through the route.
    balance_fast_path: bool = True
    # Tenant documents (rate limits, CORS origins, branding, languages) are re-read at most
    # this often.
    tenant_cache_seconds: float = Field(default=5.0, ge=0)
    # Sign-in (`POST /v1/auth/sessions`): tries per client address (a bucket of its own,
    # never the tenant's), and argon2 checks running at once and waiting (beyond: 503).
    sign_in_address_per_second: float = Field(default=0.5, gt=0)
    sign_in_address_burst: int = Field(default=20, ge=1)
    sign_in_concurrent_hashes: int = Field(default=2, ge=1)
    sign_in_waiting_hashes: int = Field(default=16, ge=0)
    # Unknown session tokens one client address may present (a bucket in each gateway
    # process) before its session lookups answer 429 without asking the database.
    session_failures_per_second: float = Field(default=1.0, gt=0)
    session_failures_burst: int = Field(default=20, ge=1)
    # An operator's sign-in (`POST /v1/auth/sessions`) lasts this long.
    operator_session_minutes: int = Field(default=60, ge=1, le=24 * 60)
    # The console's session cookie carries `Secure`: always, never, or (auto) unless the
    # request came over plain http to a loopback address (a developer's `make run`).
    session_cookie_secure: Literal["auto", "always", "never"] = "auto"
    # Swagger UI on /docs, from the pinned fastapi-offline package (no CDN); the
    # production overlay turns it off. /openapi.json is served either way.
    api_docs_ui: bool = True
    # The launcher's account of the processes it supervises (restarts, state), shown by
    # `/readyz` and `/metrics`; unset where no launcher runs the gateway.
    stack_status_file: Path | None = None
    # Each service's `/metrics` (its METRICS_PORT), which `GET /v1/admin/platform/health`
    # reads for the outbox backlog, consumer lag and reconciliation; unset, those figures
    # are left out of its answer. The launcher sets them; in Kubernetes, a Service's port.
    member_metrics_url: str = Field(default="", pattern=METRICS_URL)
    points_metrics_url: str = Field(default="", pattern=METRICS_URL)
    campaign_metrics_url: str = Field(default="", pattern=METRICS_URL)
    analytics_metrics_url: str = Field(default="", pattern=METRICS_URL)
    # Where one-time sign-in codes for members go (`POST /v1/member-sessions/otp`): nowhere
    # (503, until a provider's adapter is configured), or the development sender, which keeps
    # each tenant's messages briefly for its admins and support to read in the console. The
    # launcher (`make run`) turns it on; a gateway listening beyond loopback refuses it.
    member_code_sender: Literal["none", "development"] = "none"
    # Webhooks (docs/webhooks.md): this process records and sends deliveries; each attempt
    # waits at most the timeout; an endpoint has at most so many attempts at once, the
    # process so many in all; failed attempts are retried with backoff from the first
    # delay for the window, then the delivery is failed.
    webhook_worker: bool = True
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    webhook_endpoint_concurrency: int = Field(default=4, ge=1, le=64)
    webhook_max_in_flight: int = Field(default=64, ge=1, le=1024)
    webhook_retry_first_seconds: float = Field(default=5.0, gt=0)
    webhook_retry_window_hours: float = Field(default=24.0, gt=0, le=72)
    # Members' timelines (docs/contact-history.md): this process keeps them from the stream.
    timeline_worker: bool = True
    # Background operations (bulk adjustments, backtests started with `?async=true`): this
    # process runs them; it holds each under a lease it renews with every step, and claims
    # one whose lease ran out (its gateway stopped) after so long; it looks for work so often;
    # it runs so many at once, and so many of one tenant's at once (one tenant's queue waits
    # its turn rather than filling every slot).
    operation_worker: bool = True
    operation_lease_seconds: float = Field(default=30.0, gt=0, le=600)
    operation_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    operations_concurrency: int = Field(default=2, ge=1, le=32)
    operations_per_tenant: int = Field(default=1, ge=1, le=32)
    # Approved requests (docs/approvals.md): a run holds its approval under a lease it
    # renews while it lasts; this process's recovery loop runs again, through the same
    # Idempotency-Key, an approval whose lease ran out (its gateway died mid-run), looking
    # so often. Keep the lease above idempotency_lease_seconds.
    approval_recovery: bool = True
    approval_lease_seconds: float = Field(default=60.0, gt=0, le=3600)
    approval_recovery_poll_seconds: float = Field(default=5.0, gt=0, le=600)

    @model_validator(mode="after")
    def _refuse_development_sender_beyond_loopback(self) -> Self:
        if self.member_code_sender == "development" and not _loopback(self.gateway_host):
            raise ValueError(
                "MEMBER_CODE_SENDER=development shows sign-in codes to operators: it is for "
                "a gateway on a loopback address (GATEWAY_HOST=127.0.0.1) only"
            )
        return self

    @property
    def webhook_loopback_allowed(self) -> bool:
        """Plain http to 127.0.0.1 endpoints: for a development gateway on loopback only."""
        return self.environment == "development" and _loopback(self.gateway_host)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
