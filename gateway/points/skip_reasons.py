"""Why a campaign did not apply to an order: the campaign service's reason codes, with a
readable English text each (the console translates the codes). docs/points.md lists them."""

from __future__ import annotations

from typing import NamedTuple

EXCLUDED_BY = "excluded_by"

SKIP_REASONS: dict[str, str] = {
    "not_started": "The campaign had not started when the order was placed.",
    "ended": "The campaign had ended when the order was placed.",
    "channel": "The order came through a channel the campaign does not cover.",
    "store": "The order was placed at a store the campaign does not cover.",
    "tier": "The member's tier is not one the campaign is for.",
    "segment": "The member is not in the campaign's segment.",
    "min_total": "The order's total is below the campaign's minimum.",
    "first_purchase_only": "The campaign is for a member's first purchase only.",
    "days_since_enrolment": "The member enrolled too recently for the campaign.",
    "birthday_month": "The order was not placed in the member's birthday month.",
    "day_of_week": "The order was placed on a day of the week the campaign does not cover.",
    "hour": "The order was placed at an hour the campaign does not cover.",
    "no_matching_lines": "No line of the order is in the campaign's categories or SKUs.",
    "no_marketing_consent": "The member has not consented to marketing, which a coupon needs.",
    "holdout": "The member is in the campaign's holdout group, kept out to measure it.",
    "budget_exhausted": "The campaign's budget is spent.",
    "member_limit_reached": "The member has had the campaign's reward as often as allowed.",
    "no_points": "The campaign's effect came to no points for this order.",
    "exclusive_but_others_applied": (
        "The campaign is exclusive, and campaigns of higher priority had already applied."
    ),
    EXCLUDED_BY: "An exclusive campaign of higher priority applied, which stops the others.",
}
UNKNOWN = "The campaign did not apply."


class SkipReason(NamedTuple):
    code: str
    text: str
    # For `excluded_by`: the exclusive campaign that applied.
    excluded_by: str | None


def skip_reason(reason: str) -> SkipReason:
    """The code and text of the campaign service's reason (`excluded_by:<campaign id>`
    names the campaign that excluded it)."""
    code, _, campaign_id = reason.partition(":")
    return SkipReason(code, SKIP_REASONS.get(code, UNKNOWN), campaign_id or None)
