"""The instruments every service process records into, in one registry per process.

Names follow Prometheus' conventions: a unit suffix (`_seconds`), `_total` on counters,
labels of bounded cardinality only (a gRPC method, a status code, a durable name, a
tenant out of at most `TENANT_LABELS_LIMIT`, then `other`).
"""

from __future__ import annotations

from typing import TypeVar

from libs.metrics.registry import Counter, Gauge, Histogram, Metric, Registry

M = TypeVar("M", bound=Metric)

OTHER_TENANTS = "other"
TENANT_LABELS_LIMIT = 50
LAG_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)


class BoundedLabel:
    """The first `limit` distinct values keep their own series; every later one is
    `other`, so a platform with thousands of tenants cannot blow up the series count."""

    def __init__(self, limit: int = TENANT_LABELS_LIMIT) -> None:
        self._limit = limit
        self._seen: set[str] = set()

    def __call__(self, value: str) -> str:
        if value in self._seen:
            return value
        if len(self._seen) >= self._limit:
            return OTHER_TENANTS
        self._seen.add(value)
        return value


class ProcessMetrics:
    def __init__(self, tenant_limit: int = TENANT_LABELS_LIMIT) -> None:
        self.registry = Registry()
        self.tenant = BoundedLabel(tenant_limit)
        rpc = ("grpc_method", "grpc_code")
        self.grpc_server_handled = self._add(
            Counter("grpc_server_handled_total", "RPCs answered, by method and status.", rpc)
        )
        self.grpc_server_seconds = self._add(
            Histogram("grpc_server_handling_seconds", "Time to answer an RPC.", rpc)
        )
        self.grpc_client_handled = self._add(
            Counter("grpc_client_handled_total", "Calls made to peers, by method and status.", rpc)
        )
        self.grpc_client_seconds = self._add(
            Histogram("grpc_client_handling_seconds", "Time a call to a peer took.", rpc)
        )
        self.mongo_seconds = self._add(
            Histogram(
                "mongodb_command_duration_seconds",
                "Time a MongoDB command took, by command name and outcome.",
                ("command", "outcome"),
            )
        )
        self.outbox_backlog = self._add(
            Gauge("outbox_backlog_events", "Outbox rows committed and not yet published.")
        )
        self.outbox_oldest = self._add(
            Gauge(
                "outbox_oldest_unpublished_age_seconds",
                "Age of the oldest outbox row not yet published (0 when none waits).",
            )
        )
        self.outbox_published = self._add(
            Counter("outbox_published_events_total", "Events the relay published.")
        )
        self.outbox_lag = self._add(
            Histogram(
                "outbox_publish_lag_seconds",
                "From an event's commit to the stream's acknowledgement of it.",
                buckets=LAG_BUCKETS,
            )
        )
        durable = ("durable",)
        self.consumer_pending = self._add(
            Gauge(
                "event_consumer_pending_messages",
                "Events in the stream a durable consumer has not been given yet.",
                durable,
            )
        )
        self.consumer_unacked = self._add(
            Gauge(
                "event_consumer_ack_pending_messages",
                "Events given to a durable consumer and not yet acknowledged.",
                durable,
            )
        )
        self.consumer_redeliveries = self._add(
            Counter(
                "event_consumer_redeliveries_total",
                "Events delivered again to a durable consumer (an earlier try failed).",
                durable,
            )
        )
        self.consumer_handled = self._add(
            Counter(
                "event_consumer_handled_total",
                "Events a durable consumer finished, by outcome (acked, retried, terminated).",
                ("durable", "outcome"),
            )
        )
        tenant = ("tenant",)
        self.orders = self._add(
            Counter("loyalty_orders_total", "Orders credited (a replay is not counted).", tenant)
        )
        self.points_issued = self._add(
            Counter("loyalty_points_issued_total", "Points credited by orders.", tenant)
        )
        self.points_redeemed = self._add(
            Counter(
                "loyalty_points_redeemed_total", "Points spent by captured redemptions.", tenant
            )
        )
        self.campaign_budget = self._add(
            Gauge(
                "campaign_budget_points",
                "Budget of each active campaign by state (granted, reserved, left).",
                ("campaign", "state"),
            )
        )

        self.drifting_members = self._add(
            Gauge(
                "loyalty_reconciliation_drifting_members",
                "Members whose balance or lots drift from their ledger, at the last "
                "reconciliation of each tenant.",
                tenant,
            )
        )
        self.reconciled_at = self._add(
            Gauge(
                "loyalty_reconciliation_last_run_timestamp_seconds",
                "When a tenant was last reconciled (Unix time).",
                tenant,
            )
        )
        self.certificate_expiry = self._add(
            Gauge(
                "tls_certificate_expiry_timestamp_seconds",
                "When this process's mutual-TLS certificate expires (Unix time).",
            )
        )

    def _add(self, metric: M) -> M:
        self.registry.add(metric)
        return metric

    def count_order(self, tenant_id: str, points: int) -> None:
        tenant = self.tenant(tenant_id)
        self.orders.inc((tenant,))
        self.points_issued.inc((tenant,), points)

    def count_redemption(self, tenant_id: str, points: int) -> None:
        self.points_redeemed.inc((self.tenant(tenant_id),), points)

    def record_reconciliation(self, tenant_id: str, drifting: int, at: float) -> None:
        tenant = (self.tenant(tenant_id),)
        self.drifting_members.set(tenant, drifting)
        self.reconciled_at.set(tenant, at)


METRICS = ProcessMetrics()
"""This process's instruments; a service's metrics port serves `METRICS.registry`."""
