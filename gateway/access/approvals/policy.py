"""A tenant's approval policy: which operators' actions wait for a second operator (pure).

Every threshold is off by default, so a tenant that sets none works as before.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

DEFAULT_EXPIRY_HOURS = 72
MAX_EXPIRY_HOURS = 24 * 30


@dataclass(frozen=True)
class ApprovalPolicy:
    # An adjustment crediting or debiting more than this many points (None: never).
    adjustment_points_above: int | None = None
    bulk_adjustments: bool = False  # every bulk adjustment file
    merges: bool = False
    erasures: bool = False
    # Activating a campaign whose points budget is above this, or that has none.
    campaign_budget_above: int | None = None
    operator_keys: bool = False  # creating an operator key
    expires_after_hours: int = DEFAULT_EXPIRY_HOURS

    def to_doc(self) -> dict[str, Any]:
        return asdict(self)


OFF = ApprovalPolicy()


def policy_from_doc(doc: dict[str, Any] | None) -> ApprovalPolicy:
    if not doc:
        return OFF
    known = {k: v for k, v in doc.items() if k in ApprovalPolicy.__dataclass_fields__}
    return ApprovalPolicy(**known)


def adjustment_needs_approval(policy: ApprovalPolicy, points: object) -> bool:
    limit = policy.adjustment_points_above
    return limit is not None and isinstance(points, int) and abs(points) > limit


def activation_needs_approval(policy: ApprovalPolicy, budget_points: int | None) -> bool:
    """A campaign without a points budget is unbounded: above any threshold."""
    limit = policy.campaign_budget_above
    return limit is not None and (budget_points is None or budget_points > limit)
