"""`campaign.changed` tells read models who a campaign targets and holds out: its holdout
share, its segment and its window."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from libs.timestamps import aware
from loyalty.campaign.v1 import campaign_events_pb2 as pb
from services.campaign.campaigns.adapters.events import campaign_to_outbox
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.definitions import Definition
from services.campaign.campaigns.domain.events import CampaignChanged, Change
from services.campaign.campaigns.domain.lifecycle import draft
from services.campaign.campaigns.domain.rules import Conditions, Effect, EffectType

pytestmark = pytest.mark.unit

AT = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
HELD = Definition(
    name="Come back",
    trigger=Trigger.PURCHASE,
    starts_at=AT,
    ends_at=AT + timedelta(days=7),
    conditions=Conditions(segment_id="seg-1"),
    effect=Effect(EffectType.MULTIPLIER, factor=Decimal(2)),
    holdout_percent=20,
)


def message_of(definition: Definition) -> pb.CampaignChanged:
    record = draft("c-1", "t-1", definition, AT)
    row = campaign_to_outbox(CampaignChanged("ev-1", record, Change.CREATED, AT))
    return pb.CampaignChanged.FromString(row.payload)


def test_the_change_carries_the_holdout_the_segment_and_the_window() -> None:
    message = message_of(HELD)

    assert (message.holdout_percent, message.segment_id) == (20, "seg-1")
    assert aware(message.starts_at) == AT
    assert aware(message.ends_at) == AT + timedelta(days=7)
    assert (message.trigger, message.change) == ("purchase", "created")


def test_an_open_window_and_no_holdout_leave_the_fields_unset() -> None:
    message = message_of(replace(HELD, starts_at=None, ends_at=None, holdout_percent=0))

    assert not message.HasField("starts_at")
    assert not message.HasField("ends_at")
    assert message.holdout_percent == 0
