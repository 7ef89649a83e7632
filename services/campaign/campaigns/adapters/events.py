"""`campaign.changed` as a protobuf outbox message."""

from __future__ import annotations

from libs.events import event_meta, outbox_message
from libs.outbox import OutboxMessage
from libs.timestamps import timestamp
from loyalty.campaign.v1 import campaign_events_pb2 as pb
from services.campaign.campaigns.domain.events import CampaignChanged

CAMPAIGN_CHANGED = "campaign.changed"


def campaign_to_outbox(event: CampaignChanged) -> OutboxMessage:
    record = event.record
    meta = event_meta(event.event_id, record.tenant_id, CAMPAIGN_CHANGED, event.at)
    message = pb.CampaignChanged(
        meta=meta,
        campaign_id=record.campaign_id,
        trigger=record.definition.trigger.value,
        status=record.status.value,
        version=record.version,
        change=event.change.value,
        holdout_percent=record.definition.holdout_percent,
        segment_id=record.definition.conditions.segment_id,
    )
    definition = record.definition
    if definition.starts_at is not None:
        message.starts_at.CopyFrom(timestamp(definition.starts_at))
    if definition.ends_at is not None:
        message.ends_at.CopyFrom(timestamp(definition.ends_at))
    return outbox_message(meta, message)
