"""What `GET /v1/admin/platform/health` answers: each process's state and figures."""

from __future__ import annotations

from pydantic import BaseModel, Field

from gateway.edge.fields import Timestamp


class OutboxHealthOut(BaseModel):
    backlog: int = Field(description="Events committed and not yet published to the stream.")
    oldest_age_seconds: float = Field(
        description="How long the oldest unpublished event has waited (0 when none waits)."
    )


class ConsumerHealthOut(BaseModel):
    durable: str = Field(description="The durable consumer's name in the stream `LOYALTY`.")
    pending: int = Field(description="Events in the stream it has not been given yet.")
    ack_pending: int = Field(description="Events given to it and not acknowledged yet.")
    redeliveries: int = Field(description="Events delivered to it again since the process started.")


class RecentCallsOut(BaseModel):
    calls: int = Field(description="The gateway's calls to the process in the window.")
    failed: int = Field(
        description="Of those, the ones the process failed (`INTERNAL`, `UNKNOWN`, "
        "`UNAVAILABLE`, `DEADLINE_EXCEEDED`, `DATA_LOSS`); refusals are answers."
    )
    error_rate: float | None = Field(description="`failed / calls`; null without calls.")


class ProcessHealthOut(BaseModel):
    process: str = Field(
        description="gateway, mongo (the gateway's database), member, points, campaign, analytics"
    )
    serving: bool = Field(description="It answered its health check (or a ping) just now.")
    restarts: int | None = Field(
        description="Times the launcher restarted it (`make run`); null without a launcher."
    )
    figures_read: bool = Field(
        description="Its `/metrics` was read just now; false when unreachable or not "
        "configured, and then `outbox` and `consumers` are unknown."
    )
    outbox: OutboxHealthOut | None = Field(
        description="Its outbox; null for a process without one."
    )
    consumers: list[ConsumerHealthOut] = Field(description="Its durable consumers, by name.")
    calls: RecentCallsOut | None = Field(
        description="The gateway's calls to it over the window; null for the gateway and "
        "its database."
    )


class LastReconciliationOut(BaseModel):
    last_run_at: Timestamp | None = Field(
        description="When the caller's tenant was last reconciled, as the points service "
        "remembers since it started; null when it has not been."
    )
    drifting_members: int | None = Field(
        description="Members whose balance or lots drifted from their ledger at that run."
    )


class PlatformHealthOut(BaseModel):
    checked_at: Timestamp
    window_minutes: int = Field(description="The window of `calls`, in minutes.")
    processes: list[ProcessHealthOut]
    reconciliation: LastReconciliationOut
