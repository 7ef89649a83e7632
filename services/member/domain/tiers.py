"""The tier program: tiers in ascending order, with what it takes to reach each."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from libs.errors import InvalidArgument
from libs.languages import Translations

QUALIFYING_METRICS = ("points_earned", "spend")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class DowngradePolicy(StrEnum):
    NEVER = "never"
    # When the qualification period ends, drop to the tier the amount still earns.
    PERIOD_END = "period_end"
    # When the qualification period ends, drop one tier (and start a new period).
    ONE_TIER = "one_tier"


@dataclass(frozen=True)
class Tier:
    code: str
    name: str
    threshold: int
    multiplier: Decimal
    # The name in other languages than the tenant's default.
    translations: Translations = field(default_factory=Translations)


@dataclass(frozen=True)
class TierProgram:
    tiers: tuple[Tier, ...]
    qualifying_metric: str
    window_days: int
    downgrade_grace_days: int
    version: int = 0
    downgrade_policy: DowngradePolicy = DowngradePolicy.PERIOD_END

    @property
    def entry_tier(self) -> Tier:
        return self.tiers[0]

    def multiplier_of(self, code: str) -> Decimal | None:
        return next((t.multiplier for t in self.tiers if t.code == code), None)

    def rank_of(self, code: str) -> int:
        """The tier's place from 0 (entry); -1 for a code the program no longer has."""
        return next((i for i, t in enumerate(self.tiers) if t.code == code), -1)

    def tier(self, code: str) -> Tier | None:
        rank = self.rank_of(code)
        return self.tiers[rank] if rank >= 0 else None


@dataclass(frozen=True)
class ManualTier:
    """An operator's tier, in force until `until`; then the member reverts to `previous_code`."""

    code: str
    reason: str
    until: datetime
    previous_code: str


@dataclass(frozen=True)
class TierState:
    code: str
    name: str
    since: datetime
    # End of the qualification period; downgrades are judged then. None: since + window.
    period_ends_at: datetime | None = None
    manual: ManualTier | None = None


def parse_multiplier(raw: str, field: str) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidArgument(f"{field}: must be a decimal number") from None
    if not value.is_finite() or value < 0 or value > 100:
        raise InvalidArgument(f"{field}: must be between 0 and 100")
    return value


def parse_downgrade_policy(raw: str) -> DowngradePolicy:
    try:
        return DowngradePolicy(raw or DowngradePolicy.PERIOD_END)
    except ValueError:
        allowed = ", ".join(p.value for p in DowngradePolicy)
        raise InvalidArgument(f"downgrade_policy: must be one of {allowed}") from None


def validate_program(program: TierProgram) -> TierProgram:
    """A usable program: at least one tier, the first open to everyone, ascending."""
    if not program.tiers:
        raise InvalidArgument("tiers: at least one tier is required")
    if program.tiers[0].threshold != 0:
        raise InvalidArgument("tiers[0].threshold: the entry tier must have threshold 0")
    codes: set[str] = set()
    previous = -1
    for index, tier in enumerate(program.tiers):
        if not _CODE.match(tier.code):
            raise InvalidArgument(f"tiers[{index}].code: lower-case letters, digits and _")
        if tier.code in codes:
            raise InvalidArgument(f"tiers[{index}].code: {tier.code} appears twice")
        if not tier.name.strip():
            raise InvalidArgument(f"tiers[{index}].name: must not be empty")
        for problem in tier.translations.problems(("name",)):
            raise InvalidArgument(f"tiers[{index}].{problem}")
        if tier.threshold <= previous:
            raise InvalidArgument(f"tiers[{index}].threshold: thresholds must ascend")
        codes.add(tier.code)
        previous = tier.threshold
    if program.qualifying_metric not in QUALIFYING_METRICS:
        raise InvalidArgument(f"qualifying_metric: one of {', '.join(QUALIFYING_METRICS)}")
    if not 1 <= program.window_days <= 3660:
        raise InvalidArgument("window_days: between 1 and 3660")
    if not 0 <= program.downgrade_grace_days <= 3660:
        raise InvalidArgument("downgrade_grace_days: between 0 and 3660")
    return program
