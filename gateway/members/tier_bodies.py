"""The tier program and an operator's manual tier, as JSON (docs/api.md, Operator endpoints)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, Field

from gateway.edge.fields import Strict
from gateway.edge.languages import TRANSLATIONS_DESCRIPTION, LanguageTag
from libs.languages import MAX_LOCALES

TierCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]


TierName = Annotated[str, Field(min_length=1, max_length=64)]


class TierTextsBody(Strict):
    """A tier's texts in one language."""

    name: TierName


class TierBody(Strict):
    code: TierCode
    name: TierName
    # Qualifying amount (points, or currency units for spend) over the window.
    threshold: Annotated[int, Field(ge=0, le=10**12)]
    # Earning multiplier as a decimal string, e.g. "1.25".
    multiplier: Annotated[str, Field(pattern=r"^\d{1,3}(\.\d{1,4})?$")] = "1"
    translations: Annotated[dict[LanguageTag, TierTextsBody], Field(max_length=MAX_LOCALES)] = (
        Field(default_factory=dict, description=TRANSLATIONS_DESCRIPTION)
    )
    localized: TierTextsBody | None = Field(
        None,
        description="In answers: the name in the reader's language (Accept-Language). "
        "Ignored in a body, so that a tier read can be sent back as it is",
    )


class TierProgramBody(Strict):
    """Tiers ascending by threshold, the first at 0. `qualifying_metric` over
    `window_days` decides the tier. `downgrade_policy`: `never`; `period_end` (when the
    qualification period ends, drop to the tier still earned); `one_tier` (drop one tier
    per period). A drop waits `downgrade_grace_days` after the period ends."""

    tiers: Annotated[list[TierBody], Field(min_length=1, max_length=20)]
    qualifying_metric: Literal["points_earned", "spend"]
    window_days: Annotated[int, Field(ge=1, le=3660)]
    downgrade_policy: Literal["never", "period_end", "one_tier"] = "period_end"
    downgrade_grace_days: Annotated[int, Field(ge=0, le=3660)] = 0


class ManualTierBody(Strict):
    """`PUT /v1/admin/members/{id}/tier`: the member holds `tier` until `until`, then
    reverts to the tier held before (which later qualifying events may raise)."""

    tier: TierCode
    reason: Annotated[str, Field(min_length=1, max_length=200)]
    until: AwareDatetime


BODY_MODELS: tuple[type[BaseModel], ...] = (TierProgramBody, ManualTierBody)
