"""The request bodies of the operators' points endpoints, as strict models."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StrictInt
from pydantic_core import PydanticCustomError

from gateway.edge.fields import MemberId, OrderId, Points, Strict
from gateway.points.admin_settings import PointsSettingsBody

MAX_ADJUSTMENT = 10**9


def _not_zero(points: int) -> int:
    if points == 0:
        raise PydanticCustomError("not_zero", "must not be 0: a credit above, a debit below")
    return points


SignedPoints = Annotated[
    StrictInt,
    Field(ge=-MAX_ADJUSTMENT, le=MAX_ADJUSTMENT, description="A credit above 0, a debit below"),
    AfterValidator(_not_zero),
]
Reason = Annotated[str, Field(min_length=1, max_length=200, description="Shown in the ledger")]


class AdjustmentBody(Strict):
    """`POST /v1/admin/members/{member_id}/points/adjustments`. `adjustment_id` is the
    caller's key for this adjustment: sent again, it applies nothing and answers the first
    answer (200); with another body it is 409 `adjustment_conflict`."""

    adjustment_id: OrderId
    points: SignedPoints
    reason: Reason


class MemberTransferBody(Strict):
    """`POST /v1/members/{member_id}/points/transfers`: the member gives points to another
    member of the tenant. `transfer_id` is the caller's key: sent again, nothing more
    moves and the first answer comes back (200)."""

    transfer_id: OrderId
    to_member_id: MemberId
    points: Points
    reason: Reason | None = None


class TransferBody(MemberTransferBody):
    """`POST /v1/admin/points/transfers`: an operator moves points between two members."""

    from_member_id: MemberId


BODY_MODELS: tuple[type[BaseModel], ...] = (
    AdjustmentBody,
    MemberTransferBody,
    TransferBody,
    PointsSettingsBody,
)
