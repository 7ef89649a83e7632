"""The rules engine: which campaigns a purchase earns, stacked by priority, with reasons
for every campaign that did not apply. A set of campaigns is compiled once (ruleset.py);
`RuleBooks` keeps each tenant's compiled set until its list of active campaigns changes."""

from __future__ import annotations

from collections.abc import Sequence

from services.campaign.campaigns.domain.facts import Purchase
from services.campaign.campaigns.domain.outcomes import Applied, Outcome, Skipped, held_out
from services.campaign.campaigns.domain.rules import Campaign
from services.campaign.campaigns.domain.ruleset import CompiledRules

__all__ = ["Applied", "CompiledRules", "Outcome", "RuleBooks", "Skipped", "evaluate", "held_out"]


def evaluate(campaigns: Sequence[Campaign], purchase: Purchase) -> Outcome:
    """Once: a caller that evaluates many orders against the same campaigns compiles them
    once instead (`CompiledRules`, `RuleBooks`)."""
    return CompiledRules(campaigns).evaluate(purchase)


class RuleBooks:
    """The compiled campaigns of each key (a tenant), compiled again when a different list
    is given: the active-campaign cache hands out the same list, never changed in place,
    until the tenant's campaigns change or are read again."""

    def __init__(self) -> None:
        self._compiled: dict[str, tuple[Sequence[Campaign], CompiledRules]] = {}

    def of(self, key: str, campaigns: Sequence[Campaign]) -> CompiledRules:
        known = self._compiled.get(key)
        if known is not None and known[0] is campaigns:
            return known[1]
        compiled = CompiledRules(campaigns)
        self._compiled[key] = (campaigns, compiled)
        return compiled
