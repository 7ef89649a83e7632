"""The bodies of `/v1/admin/webhooks`, as strict models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from gateway.edge.fields import Strict
from gateway.webhooks.addresses import MAX_URL_CHARS
from gateway.webhooks.catalogue import EVENT_TYPES

URL = Annotated[str, Field(min_length=8, max_length=MAX_URL_CHARS)]


def _known(types: list[str]) -> list[str]:
    unknown = sorted(set(types) - set(EVENT_TYPES))
    if unknown:
        raise ValueError(f"unknown event types {unknown}; there are {sorted(EVENT_TYPES)}")
    if len(set(types)) != len(types):
        raise ValueError("names an event type twice")
    return types


EventTypes = Annotated[
    list[str],
    Field(
        min_length=1,
        max_length=len(EVENT_TYPES),
        json_schema_extra={"items": {"type": "string", "enum": list(EVENT_TYPES)}},
    ),
    AfterValidator(_known),
]
EXAMPLE_URL = "https://erp.example.com/loyalty/webhooks"


class CreateWebhookBody(Strict):
    model_config = Strict.model_config | {
        "json_schema_extra": {
            "examples": [{"url": EXAMPLE_URL, "event_types": ["points.earned", "member.enrolled"]}]
        }
    }

    url: URL = Field(description="An https URL on a public address")
    event_types: EventTypes = Field(description="The stream's event types to deliver")


class UpdateWebhookBody(Strict):
    """What to change; a field left out stays as it is."""

    model_config = Strict.model_config | {
        "json_schema_extra": {"examples": [{"event_types": ["points.earned"], "enabled": True}]}
    }

    url: URL | None = None
    event_types: EventTypes | None = None
    enabled: bool | None = None


class ReplayRangeBody(Strict):
    """Deliver again every delivery of events that occurred from `start` (inclusive) to
    `end` (exclusive)."""

    model_config = Strict.model_config | {
        "json_schema_extra": {
            "examples": [{"start": "2026-11-25T00:00:00+08:00", "end": "2026-11-26T00:00:00+08:00"}]
        }
    }

    start: datetime
    end: datetime


BODY_MODELS = (CreateWebhookBody, UpdateWebhookBody, ReplayRangeBody)
