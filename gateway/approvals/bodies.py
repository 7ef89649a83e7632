"""The request bodies of the approvals endpoints, as strict models."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from gateway.access.approvals.policy import DEFAULT_EXPIRY_HOURS, MAX_EXPIRY_HOURS
from gateway.edge.fields import Strict

Threshold = Annotated[int | None, Field(ge=0, le=10**12)]


class ApprovalPolicyBody(Strict):
    """`PUT /v1/admin/approval-policy`: which operators' actions wait for a second
    operator. Every threshold is off (null or false) unless set."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "adjustment_points_above": 10000,
                    "bulk_adjustments": True,
                    "merges": True,
                    "erasures": True,
                    "campaign_budget_above": 500000,
                    "operator_keys": True,
                    "expires_after_hours": 72,
                }
            ]
        },
    )

    adjustment_points_above: Threshold = Field(
        None, description="Hold adjustments of more than this many points (either sign)"
    )
    bulk_adjustments: bool = Field(False, description="Hold every bulk adjustment file")
    merges: bool = Field(False, description="Hold every merge of two members")
    erasures: bool = Field(False, description="Hold every erasure")
    campaign_budget_above: Threshold = Field(
        None,
        description="Hold activating a campaign whose points budget is above this, or has none",
    )
    operator_keys: bool = Field(False, description="Hold creating an operator key")
    expires_after_hours: int = Field(
        DEFAULT_EXPIRY_HOURS,
        ge=1,
        le=MAX_EXPIRY_HOURS,
        description="A held request nobody approved or rejected expires after this",
    )


class DecisionBody(Strict):
    """`POST /v1/admin/approvals/{approval_id}/approve` or `/reject`: an optional note."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"note": "checked with the store"}]}
    )

    note: str | None = Field(None, max_length=500)


BODY_MODELS: tuple[type[BaseModel], ...] = (ApprovalPolicyBody, DecisionBody)
