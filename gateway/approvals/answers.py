"""The JSON of the approvals endpoints (additions to docs/api.md, documented in OpenAPI)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from gateway.access.approvals.store import Approval
from gateway.edge.fields import Timestamp

_MAX_TEXT = 10_000


class HeldRequestOut(BaseModel):
    method: str
    path: str
    route: str
    query: str
    body: Any = Field(None, description="A JSON body as sent (what the checker approves)")
    body_text: str | None = Field(None, description="A text body (a CSV file), its start")


class ApprovalOut(BaseModel):
    approval_id: str
    status: str = Field(
        description="`pending`, `executing`, `executed`, `failed` (the run answered an error), "
        "`rejected` or `expired`"
    )
    reason: str
    maker: dict[str, Any]
    request: HeldRequestOut
    created_at: Timestamp
    expires_at: Timestamp
    checker: dict[str, Any] | None = None
    decided_at: Timestamp | None = None
    note: str | None = None
    result_status: int | None = Field(None, description="The HTTP status the run answered")
    result: Any = Field(None, description="The run's answer, without personal data or secrets")

    @classmethod
    def of(cls, approval: Approval) -> ApprovalOut:
        held = approval.request
        body: Any = None
        text: str | None = None
        if held.body:
            if "json" in held.content_type:
                try:
                    body = json.loads(held.body)
                except ValueError:
                    text = held.body[:_MAX_TEXT].decode("utf-8", "replace")
            else:
                text = held.body[:_MAX_TEXT].decode("utf-8", "replace")
        maker = approval.maker
        return cls(
            approval_id=approval.approval_id,
            status=approval.status_at(datetime.now(UTC)),
            reason=approval.reason,
            maker={"id": maker.key_id, "role": maker.role or "admin", "stores": list(maker.stores)},
            request=HeldRequestOut(
                method=held.method,
                path=held.path,
                route=held.route,
                query=held.query,
                body=body,
                body_text=text,
            ),
            created_at=approval.created_at,
            expires_at=approval.expires_at,
            checker=None
            if approval.checker_id is None
            else {"id": approval.checker_id, "role": approval.checker_role},
            decided_at=approval.decided_at,
            note=approval.note,
            result_status=approval.result_status,
            result=approval.result,
        )


class ApprovalListOut(BaseModel):
    approvals: list[ApprovalOut]


class HeldOut(BaseModel):
    """The 202 answer of a held request (`Location` names the approval)."""

    approval_id: str
    status: str
    reason: str
    expires_at: str
