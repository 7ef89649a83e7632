"""`campaign.changed` as a protobuf outbox message."""

from __future__ import annotations

from google.protobuf.timestamp_pb2 import Timestamp

from libs.logging import current_request_id
from libs.outbox import OutboxMessage
from loyalty.campaign.v1 import campaign_events_pb2 as pb
from loyalty.common.v1.common_pb2 import EventMeta
from services.campaign.domain.campaign_events import CampaignChanged

CAMPAIGN_CHANGED = "campaign.changed"


def campaign_to_outbox(event: CampaignChanged) -> OutboxMessage:
    record = event.record
    at = Timestamp()
    at.FromDatetime(event.at)
    message = pb.CampaignChanged(
        meta=EventMeta(
            event_id=event.event_id,
            tenant_id=record.tenant_id,
            type=CAMPAIGN_CHANGED,
            occurred_at=at,
            request_id=current_request_id() or "",
        ),
        campaign_id=record.campaign_id,
        trigger=record.definition.trigger.value,
        status=record.status.value,
        version=record.version,
        change=event.change.value,
    )
    return OutboxMessage(
        event_id=event.event_id,
        tenant_id=record.tenant_id,
        event_type=CAMPAIGN_CHANGED,
        payload=message.SerializeToString(),
        occurred_at=event.at,
    )
