"""The campaign service's audience and measurement parts, assembled for its composition
root: purchase and member history consumers, segments and their refresh, the audience
cache the engine reads, dry runs, backtests and results day by day."""

from __future__ import annotations

from dataclasses import dataclass

from libs.clock import Clock
from libs.grpc.server import Worker
from libs.ids import new_id
from libs.inbox import ensure_inbox_indexes
from libs.runtime import Runtime
from libs.workers import Sweeper
from services.campaign.campaigns.adapters.audience_cache import CachedAudience
from services.campaign.campaigns.adapters.daily_runs import MongoDailyRuns, ensure_daily_run_indexes
from services.campaign.campaigns.adapters.history import ensure_history_indexes
from services.campaign.campaigns.adapters.history_reads import MongoHistory
from services.campaign.campaigns.adapters.results import MongoResults
from services.campaign.campaigns.adapters.segments import MongoSegments, ensure_segment_indexes
from services.campaign.campaigns.domain.ports import ActiveCampaigns, CampaignStore
from services.campaign.campaigns.entrypoints.consumers.history import history_consumers
from services.campaign.campaigns.entrypoints.servicer.audience import AudienceRpcs
from services.campaign.campaigns.handlers.daily import CampaignDays
from services.campaign.campaigns.handlers.inactivity import InactivityJob, Rewarder
from services.campaign.campaigns.handlers.insights import Insights
from services.campaign.campaigns.handlers.segments import Segments

SEGMENT_SWEEP_SECONDS = 60.0
# Each tenant runs once a day; a replica that finds nothing to claim waits this long.
INACTIVITY_SWEEP_SECONDS = 600.0


def new_segment_id() -> str:
    return new_id("seg_")


@dataclass(frozen=True)
class AudienceParts:
    audience: CachedAudience
    history: MongoHistory
    insights: Insights
    rpcs: AudienceRpcs
    workers: list[Worker]


async def build_audience(runtime: Runtime, store: CampaignStore, clock: Clock) -> AudienceParts:
    db = runtime.db
    await ensure_inbox_indexes(db)
    await ensure_history_indexes(db)
    await ensure_segment_indexes(db)
    memberships = MongoSegments(db)
    audience = CachedAudience(memberships, clock)
    history = MongoHistory(db)
    segments = Segments(memberships, clock, new_segment_id, audience)
    insights = Insights(store, history, memberships, audience, clock)
    days = CampaignDays(store, MongoResults(db), clock)
    # One stale segment at a time on each replica, again at once while there are more.
    refresh = Sweeper("segments", segments.refresh_stale, SEGMENT_SWEEP_SECONDS, batch=1)
    workers: list[Worker] = [
        *history_consumers(runtime.nats, runtime.mongo, db),
        refresh,
    ]
    return AudienceParts(
        audience, history, insights, AudienceRpcs(segments, insights, days, clock), workers
    )


async def inactivity_job(
    runtime: Runtime, campaigns: ActiveCampaigns, rewarder: Rewarder, clock: Clock
) -> Sweeper:
    """Rewards members who stopped buying, once per spell, by one replica a day per tenant."""
    await ensure_daily_run_indexes(runtime.db)
    job = InactivityJob(
        campaigns, MongoHistory(runtime.db), MongoDailyRuns(runtime.db), rewarder, clock
    )
    return Sweeper("inactivity", job.sweep, INACTIVITY_SWEEP_SECONDS)
