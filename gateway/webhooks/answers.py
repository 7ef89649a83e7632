"""What `/v1/admin/webhooks` answers: never a secret, except once on creation and rotation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from gateway.webhooks.endpoints import Endpoint


class WebhookOut(BaseModel):
    endpoint_id: str
    url: str
    event_types: list[str]
    enabled: bool
    created_at: datetime
    updated_at: datetime
    previous_secret_until: datetime | None = Field(
        description="Until when deliveries also carry a signature with the previous secret"
    )

    @classmethod
    def of(cls, endpoint: Endpoint) -> WebhookOut:
        return cls(
            endpoint_id=endpoint.endpoint_id,
            url=endpoint.url,
            event_types=list(endpoint.event_types),
            enabled=endpoint.enabled,
            created_at=endpoint.created_at,
            updated_at=endpoint.updated_at,
            previous_secret_until=endpoint.previous_until if endpoint.previous_secret else None,
        )


class IssuedWebhookOut(BaseModel):
    webhook: WebhookOut
    secret: str = Field(description="`whsec_<base64>`: shown in this answer only")


class WebhookListOut(BaseModel):
    webhooks: list[WebhookOut]
    event_types: list[str] = Field(description="Every event type an endpoint may take")


class AttemptOut(BaseModel):
    at: datetime
    status_code: int | None = Field(default=None, description="None: no answer came")
    error: str | None = Field(
        default=None,
        description="status_<code>, timeout, connection_failed, address_refused, "
        "endpoint_disabled; None when delivered",
    )


class DeliveryOut(BaseModel):
    delivery_id: str = Field(description="The `webhook-id` the receiver saw")
    event_id: str
    event_type: str
    occurred_at: datetime
    status: str = Field(description="pending, delivering, delivered or failed")
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    recent_attempts: list[AttemptOut]

    @classmethod
    def of(cls, doc: dict[str, Any]) -> DeliveryOut:
        pending = doc["status"] in ("pending", "delivering")
        return cls(
            delivery_id=doc["_id"],
            event_id=doc["event_id"],
            event_type=doc["event_type"],
            occurred_at=doc["occurred_at"],
            status=doc["status"],
            attempts=doc.get("attempts", 0),
            next_attempt_at=doc.get("next_at") if pending else None,
            delivered_at=doc.get("delivered_at"),
            last_status_code=doc.get("last_status_code"),
            last_error=doc.get("last_error"),
            recent_attempts=[AttemptOut(**a) for a in doc.get("attempt_log", [])],
        )


class DeliveryListOut(BaseModel):
    deliveries: list[DeliveryOut]
    next_before: datetime | None = Field(description="Pass as `before` for the next page")


class ReplayedOut(BaseModel):
    replayed: int
