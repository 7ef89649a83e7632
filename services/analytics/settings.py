"""The analytics service's settings, read once at start."""

from __future__ import annotations

from pydantic import Field

from libs.settings import ServiceSettings


class AnalyticsSettings(ServiceSettings):
    grpc_port: int = Field(default=50054, gt=0, lt=65536)
    mongo_db: str = Field(default="loyalty_analytics", min_length=1)
    # host:port of the member service, asked for each tenant's time zone.
    member_addr: str = Field(min_length=1)
    member_timeout_seconds: float = Field(default=5.0, gt=0)
    # host:port of the campaign service, asked for a segment's members (the league
    # table's comparison of a campaign for a segment with its holdout).
    campaign_addr: str = Field(min_length=1)
    campaign_timeout_seconds: float = Field(default=5.0, gt=0)
    # How long a segment's members are used without asking whether a refresh changed them.
    segment_members_keep_seconds: float = Field(default=60.0, gt=0)
    # The durable consumer and what it follows: every tenant's events by default; one
    # tenant's (`loyalty.<tenant>.>`, a durable of its own) for a deployment, or a test,
    # that serves some tenants only.
    events_durable: str = Field(default="analytics-events", min_length=1)
    events_subject: str = Field(default="loyalty.>", min_length=1)
    # How often each replica looks whether the read model's layout needs a rebuild, or a
    # rebuild (anyone's) holds it so that reports wait (services/analytics/handlers/layout.py).
    layout_poll_seconds: float = Field(default=5.0, gt=0)
    # How long a rebuild holds the read model without renewing (each page renews it): a
    # rebuild whose process died is taken over this long after.
    rebuild_lease_seconds: float = Field(default=60.0, gt=0)
    # How long a campaign's own holdout comparison waits for the read model to apply every
    # event the stream held when it was asked; not caught up by then, it answers
    # `analytics_behind` rather than a figure missing those events.
    holdout_catch_up_seconds: float = Field(default=1.0, gt=0, le=10)
