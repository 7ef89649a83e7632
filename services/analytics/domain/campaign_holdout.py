"""One campaign's audience against its holdout, for the campaign's own results: the league
table's comparison (domain/league.py: the same audience, hash and Welch interval) over
the campaign's window, each group with its members, orders and net spend. Pure: the
handler hands over the league table's reads (every enrolled member's net cents over the
days from the member pages' sums by month, with the orders beside them, and each
audience member's holdout bucket kept in memory), and the groups come out of
`league.split_moments` as the table's do (`compare_kept`); `compare_campaign` is the same
comparison member by member, the plain computation the tests hold it to.

- **Days**: the campaign's window (its start, or its creation, to its end or now) as the
  tenant's days, from the start's day to the end's, both whole.
- **Spend**: each member's orders' totals on the days less what returns on the days
  brought back (the league table's net spend); a member who bought nothing spent 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat

from libs.holdout import held_out
from libs.uplift import Uplift, welch_from_moments, welch_uplift
from services.analytics.domain.days import local_day
from services.analytics.domain.league import held_out_of, split_moments
from services.analytics.domain.month_sums import ORDERS_MASK

ANALYTICS_BEHIND = "analytics_behind"
"""Why there is no comparison: the read model had not applied every event the stream held
when asked (or whether it had could not be told)."""
ANALYTICS_REBUILDING = "analytics_rebuilding"
"""Why there is no comparison: a rebuild is replaying the log into the read model."""


def caught_up(asked_seq: int, acked_seq: int, pending: int, ack_pending: int) -> bool:
    """Has the read model's consumer applied (acknowledged after its commit) every event up
    to the stream's `asked_seq`? Yes when its acknowledged floor reached it, or when
    nothing it follows waits any more (a consumer of some subjects only never acknowledges
    the others' sequences)."""
    return acked_seq >= asked_seq or (pending == 0 and ack_pending == 0)


@dataclass(frozen=True)
class Bought:
    """A member's orders and net cents over some days."""

    orders: int = 0
    cents: int = 0


NOTHING = Bought()


@dataclass(frozen=True)
class GroupFigures:
    members: int
    orders: int
    cents: int


@dataclass(frozen=True)
class CampaignHoldout:
    """Targeted against held-out members of one campaign over its days."""

    from_day: str
    to_day: str
    targeted: GroupFigures
    held_out: GroupFigures
    uplift: Uplift | None  # per member; None with fewer than two in a group


def window_days(starts_at: datetime, ends_at: datetime, time_zone: str) -> tuple[str, str]:
    """The window's first and last day where the tenant is (the last before the first when
    the window has not begun: no day counts)."""
    return local_day(starts_at, time_zone), local_day(ends_at, time_zone)


@dataclass(frozen=True)
class SpendAndOrders:
    """Every enrolled member (merged ones left out: in their survivor) with its net cents
    over the days (0 for one who bought nothing), and the orders and net cents of those
    who bought or returned on them packed as one int (`month_sums.packed`; a member
    missing bought nothing), so that a group's orders are one sum."""

    spend: dict[str, int]
    sums: dict[str, int]


def _group(members: list[Bought]) -> GroupFigures:
    return GroupFigures(len(members), sum(b.orders for b in members), sum(b.cents for b in members))


def compare_campaign(
    campaign_id: str,
    percent: int,
    audience: Iterable[str],
    bought: Mapping[str, Bought],
    days: tuple[str, str],
) -> CampaignHoldout:
    """`audience`: the campaign's members (each once); `bought`: what members bought on
    the days (a member missing from it bought nothing)."""
    targeted: list[Bought] = []
    out: list[Bought] = []
    for member_id in audience:
        group = out if held_out(campaign_id, member_id, percent) else targeted
        group.append(bought.get(member_id, NOTHING))
    uplift = welch_uplift([b.cents for b in targeted], [b.cents for b in out])
    return CampaignHoldout(days[0], days[1], _group(targeted), _group(out), uplift)


def compare_kept(
    members: Sequence[str],
    buckets: bytes,
    percent: int,
    kept: SpendAndOrders,
    days: tuple[str, str],
) -> CampaignHoldout:
    """`compare_campaign` from the league table's reads: `members` the audience (each
    once), `buckets` where the campaign's holdout hash puts each (0-99, in their order),
    `kept` every enrolled member's net cents and orders over the days (a member missing
    from them spent nothing). Each group's count, spend and spend squared come from
    `split_moments`, its orders from the same split: the low bits of its members' packed
    sums summed (exact while a group's orders stay below 2**32)."""
    targeted, out = split_moments(members, buckets, percent, kept.spend)
    sums = kept.sums
    out_orders = sum(map(sums.get, held_out_of(members, buckets, percent), repeat(0)))
    out_orders &= ORDERS_MASK
    all_orders = sum(map(sums.get, members, repeat(0))) & ORDERS_MASK
    return CampaignHoldout(
        days[0],
        days[1],
        GroupFigures(targeted.members, all_orders - out_orders, targeted.total),
        GroupFigures(out.members, out_orders, out.total),
        welch_from_moments(targeted, out),
    )
