"""What the console sends about a long operation it runs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

Kind = Literal["bulk_adjustment", "coupon_codes", "backtest"]
Count = Annotated[StrictInt, Field(ge=0, le=10**7)]


class OperationBody(BaseModel):
    """A long operation starting: what it is, what it is about, how many steps."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"kind": "coupon_codes", "subject": "tpl_01", "total": 10000}]
        },
    )

    kind: Kind
    subject: Annotated[str, Field(min_length=1, max_length=128)] = Field(
        description="The file, coupon template or campaign it is about"
    )
    total: Count = 0


class ProgressBody(BaseModel):
    """How far it got; with `state` done or failed, how it ended (nothing changes after)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"state": "running", "done": 4000, "total": 10000},
                {"state": "done", "done": 2, "total": 2, "result": {"accepted": 398}},
            ]
        },
    )

    state: Literal["running", "done", "failed"] = "running"
    done: Count
    total: Count
    result: dict[str, Any] | None = Field(
        default=None, description="What it gave so far or in the end, as the page keeps it"
    )
    error: Annotated[str, Field(max_length=2000)] | None = None


BODY_MODELS: tuple[type[BaseModel], ...] = (OperationBody, ProgressBody)
