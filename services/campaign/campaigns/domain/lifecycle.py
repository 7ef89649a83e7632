"""A campaign's life: drafted, edited (a new version once it may have granted),
activated, paused; and the rules the engine runs for it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from libs.errors import FailedPrecondition
from libs.reasons import translated_names
from services.campaign.campaigns.domain.campaigns import CampaignStatus
from services.campaign.campaigns.domain.definitions import Definition, validate
from services.campaign.campaigns.domain.rules import Campaign
from services.campaign.campaigns.domain.versions import version_after_edit


@dataclass(frozen=True)
class CampaignRecord:
    campaign_id: str
    tenant_id: str
    status: CampaignStatus
    version: int
    definition: Definition
    created_at: datetime
    updated_at: datetime


def draft(
    campaign_id: str, tenant_id: str, definition: Definition, now: datetime
) -> CampaignRecord:
    validate(definition)
    return CampaignRecord(campaign_id, tenant_id, CampaignStatus.DRAFT, 1, definition, now, now)


def edit(record: CampaignRecord, definition: Definition, now: datetime) -> CampaignRecord:
    validate(definition)
    if definition.trigger is not record.definition.trigger:
        raise FailedPrecondition("trigger: cannot change; create a new campaign instead")
    version = version_after_edit(record.status, record.version)
    return replace(record, definition=definition, version=version, updated_at=now)


def activate(record: CampaignRecord, now: datetime) -> CampaignRecord:
    """Activating an active campaign changes nothing, so a retried click is harmless."""
    if record.status is CampaignStatus.ACTIVE:
        return record
    if record.status is CampaignStatus.ENDED:
        raise FailedPrecondition("an ended campaign cannot be activated again")
    ends_at = record.definition.ends_at
    if ends_at is not None and ends_at <= now:
        raise FailedPrecondition("ends_at: has passed; edit the schedule first")
    return replace(record, status=CampaignStatus.ACTIVE, updated_at=now)


def pause(record: CampaignRecord, now: datetime) -> CampaignRecord:
    if record.status is CampaignStatus.PAUSED:
        return record
    if record.status is not CampaignStatus.ACTIVE:
        raise FailedPrecondition(f"only an active campaign can be paused, not a {record.status}")
    return replace(record, status=CampaignStatus.PAUSED, updated_at=now)


def rules_of(record: CampaignRecord) -> Campaign:
    d = record.definition
    return Campaign(
        campaign_id=record.campaign_id,
        name=d.name,
        version=record.version,
        starts_at=d.starts_at,
        ends_at=d.ends_at,
        conditions=d.conditions,
        effect=d.effect,
        priority=d.priority,
        exclusive=d.exclusive,
        holdout_percent=d.holdout_percent,
        limits=d.limits,
        names=tuple(translated_names(d.translations).items()),
    )
