"""`campaign.changed` as a protobuf outbox message."""

from __future__ import annotations

from libs.events import event_meta, outbox_message
from libs.outbox import OutboxMessage
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
    )
    return outbox_message(meta, message)
