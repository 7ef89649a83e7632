"""Win-back after inactivity campaigns: of the members a campaign triggered by inactivity
rewarded, how many bought again within `days` days of the reward (the reward's day
included). Pure: the adapter hands over each member's rewards (campaign and day) and
purchase days (a merged member's in its survivor's), and each campaign's trigger as
`campaign.changed` last told it.

- A reward counts when its day is in the report's range; a member rewarded twice by one
  campaign counts once, from the first of those rewards.
- **Won back**: a purchase on the reward's day or within `days` days after it, by the
  report's day.
- **Waiting**: not won back yet, and the `days` days after the reward are not over by the
  report's day: they may still come back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

INACTIVITY = "inactivity"
WIN_BACK_DAYS = 30


@dataclass(frozen=True)
class RewardedMember:
    rewards: tuple[tuple[str, str], ...]  # (campaign id, day)
    purchase_days: tuple[str, ...]


@dataclass(frozen=True)
class WinBack:
    campaign_id: str
    rewarded: int
    won_back: int
    waiting: int


def _plus(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def win_back(
    members: Iterable[RewardedMember],
    triggers: Mapping[str, str],
    from_day: str,
    to_day: str,
    days: int = WIN_BACK_DAYS,
) -> list[WinBack]:
    """Per inactivity campaign that rewarded someone in the range, by campaign id."""
    counts: dict[str, list[int]] = {}
    for member in members:
        first: dict[str, str] = {}
        for campaign_id, day in member.rewards:
            if triggers.get(campaign_id) == INACTIVITY and from_day <= day <= to_day:
                first[campaign_id] = min(day, first.get(campaign_id, day))
        for campaign_id, day in first.items():
            until = min(_plus(day, days), to_day)
            back = any(day <= bought <= until for bought in member.purchase_days)
            row = counts.setdefault(campaign_id, [0, 0, 0])
            row[0] += 1
            row[1] += back
            row[2] += not back and _plus(day, days) > to_day
    return [WinBack(c, *counts[c]) for c in sorted(counts)]
