"""One campaign's own comparison with its holdout, from the read model: each group's
members, orders and net spend over the campaign's days, and the league table's uplift."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from libs.errors import InvalidArgument
from libs.holdout import held_out, holdout_buckets
from libs.uplift import Uplift
from services.analytics.adapters.page_sections import sections_of
from services.analytics.adapters.pages import line_of
from services.analytics.adapters.profile_reads import enrolled_sums
from services.analytics.domain.campaign_holdout import (
    Bought,
    GroupFigures,
    SpendAndOrders,
    compare_campaign,
    compare_kept,
    window_days,
)
from services.analytics.domain.league import compare
from services.analytics.domain.month_sums import packed
from services.analytics.domain.ports import Freshness
from services.analytics.domain.profiles import MemberProfile, net_cents
from services.analytics.handlers.campaign_holdout import (
    HoldoutAnswer,
    HoldoutQuery,
    campaign_holdout,
)

pytestmark = pytest.mark.unit
NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def sides(campaign_id: str, percent: int, wanted: int) -> tuple[list[str], list[str]]:
    kept: list[str] = []
    out: list[str] = []
    for n in range(200):
        member_id = f"m{n}"
        (out if held_out(campaign_id, member_id, percent) else kept).append(member_id)
        if len(kept) >= wanted and len(out) >= wanted:
            break
    return kept[:wanted], out[:wanted]


def test_each_group_counts_its_members_orders_and_net_spend_with_the_uplift() -> None:
    kept, out = sides("c1", 50, 2)
    bought = {
        kept[0]: Bought(2, 40_000),
        kept[1]: Bought(1, 20_000),
        out[0]: Bought(1, 10_000),  # out[1] bought nothing
    }

    found = compare_campaign("c1", 50, [*kept, *out], bought, ("2026-12-01", "2026-12-07"))

    assert (found.from_day, found.to_day) == ("2026-12-01", "2026-12-07")
    assert found.targeted == GroupFigures(2, 3, 60_000)
    assert found.held_out == GroupFigures(2, 1, 10_000)
    # per member 300.00 against 50.00: 250.00, spreads of 100.00 and 50.00
    assert found.uplift is not None
    assert found.uplift.difference == Decimal("250.00")


def test_its_uplift_is_the_league_tables_over_the_same_members_and_days() -> None:
    kept, out = sides("c2", 30, 5)
    members = [*kept, *out]
    bought = {m: Bought(1, 1_000 * (n + 1)) for n, m in enumerate(members)}
    days = ("2026-11-01", "2026-11-30")

    own = compare_campaign("c2", 30, members, bought, days)
    row = compare("c2", 30, {m: b.cents for m, b in bought.items()}, days, None)

    assert (own.targeted.members, own.held_out.members) == (row.targeted, row.held_out)
    assert own.uplift == row.uplift


def test_with_fewer_than_two_members_on_a_side_there_is_no_uplift() -> None:
    kept, out = sides("c3", 50, 2)

    found = compare_campaign("c3", 50, [*kept, out[0]], {}, ("2026-12-01", "2026-12-01"))

    assert found.uplift is None
    assert found.held_out == GroupFigures(1, 0, 0)


def page(*profiles: MemberProfile) -> dict[str, object]:
    """A page as the flush keeps it: its lines and what it keeps beside them."""
    lines = sorted(line_of(p) for p in profiles)
    return {"x": "\n".join(lines), **sections_of(lines)}


def bought_in_days(pages: list[dict[str, object]], from_day: str, to_day: str) -> SpendAndOrders:
    return enrolled_sums(pages, from_day, to_day, with_orders=True)


def test_a_members_orders_and_net_spend_count_only_on_the_days() -> None:
    profile = MemberProfile(
        "m1",
        enrolled=True,
        spend_days=("2026-11-30", "2026-12-01", "2026-12-03"),
        orders=(1, 2, 1),
        gross=(5_000, 30_000, 7_000),
        return_days=("2026-11-30", "2026-12-02"),
        returned=(1_000, 4_000),
    )

    found = bought_in_days([page(profile)], "2026-12-01", "2026-12-02")

    assert found == SpendAndOrders({"m1": 26_000}, {"m1": packed(2, 26_000)})


def test_merged_and_never_enrolled_members_are_not_in_the_audience_spend() -> None:
    profiles = [
        MemberProfile("survivor", enrolled=True),
        MemberProfile("merged", enrolled=True, merged_into="survivor"),
        MemberProfile("unseen"),
    ]

    found = bought_in_days([page(*profiles)], "2026-12-01", "2026-12-31")

    assert found == SpendAndOrders({"survivor": 0}, {})


def test_the_window_is_counted_in_the_tenants_days() -> None:
    start = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # 01:00 on 1 December in Shanghai
    end = datetime(2026, 12, 7, 15, 59, tzinfo=UTC)

    assert window_days(start, end, "Asia/Shanghai") == ("2026-12-01", "2026-12-07")
    assert window_days(start, end, "UTC") == ("2026-11-30", "2026-12-07")


def test_a_window_not_begun_counts_no_day() -> None:
    start = datetime(2026, 12, 9, tzinfo=UTC)
    days = window_days(start, datetime(2026, 12, 7, tzinfo=UTC), "UTC")
    profile = MemberProfile(
        "m1", enrolled=True, spend_days=("2026-12-08",), orders=(1,), gross=(100,)
    )

    assert days == ("2026-12-09", "2026-12-07")
    assert bought_in_days([page(profile)], *days) == SpendAndOrders({"m1": 0}, {})


def test_an_uplift_is_exact_decimal() -> None:
    kept, out = sides("c4", 50, 2)
    bought = {kept[0]: Bought(1, 100), kept[1]: Bought(1, 100)}

    found = compare_campaign("c4", 50, [*kept, *out], bought, ("2026-12-01", "2026-12-01"))

    assert found.uplift == Uplift(Decimal("1.00"), Decimal("1.00"), Decimal("1.00"))


class Behind(Freshness):
    async def behind(self) -> str:
        return "analytics_behind"


class NoReads:
    """Any read fails the test: a read model that is behind is not read."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"read {name}")


async def test_a_read_model_behind_the_stream_gives_no_figure_and_says_why() -> None:
    query = HoldoutQuery("t1", "c1", 10, "", datetime(2026, 12, 1, tzinfo=UTC), NOW)
    reads: Any = NoReads()

    answer = await campaign_holdout(query, reads, reads, reads, Behind())

    assert answer == HoldoutAnswer(None, "analytics_behind")


@pytest.mark.parametrize("percent", [0, 101])
async def test_a_holdout_percent_outside_1_to_100_is_refused(percent: int) -> None:
    query = HoldoutQuery("t1", "c1", percent, "", NOW, NOW)
    reads: Any = NoReads()

    with pytest.raises(InvalidArgument):
        await campaign_holdout(query, reads, reads, reads, Behind())


def test_the_pages_give_each_members_orders_and_net_spend_as_its_profile_does() -> None:
    days = [f"2026-11-{d:02}" for d in range(1, 31)]
    profiles = [
        MemberProfile(
            f"m{n}",
            enrolled=True,
            spend_days=tuple(days[n % 7 :: 5]),
            orders=tuple(1 + (n + i) % 3 for i in range(len(days[n % 7 :: 5]))),
            gross=tuple(1_000 * (n + i) for i in range(len(days[n % 7 :: 5]))),
            return_days=tuple(days[n % 11 :: 9]),
            returned=tuple(100 * i for i in range(len(days[n % 11 :: 9]))),
        )
        for n in range(40)
    ]
    window = ("2026-11-08", "2026-11-21")

    found = bought_in_days([page(*profiles[:20]), page(*profiles[20:])], *window)

    expected = {
        p.member_id: Bought(
            sum(
                n
                for d, n in zip(p.spend_days, p.orders, strict=True)
                if window[0] <= d <= window[1]
            ),
            net_cents(p, *window),
        )
        for p in profiles
    }
    assert found.spend == {m: b.cents for m, b in expected.items()}
    assert {m: both for m, both in found.sums.items() if both} == {
        m: packed(b.orders, b.cents) for m, b in expected.items() if b != Bought()
    }


@pytest.mark.parametrize("percent", [1, 10, 50, 100])
def test_the_comparison_from_the_league_tables_reads_is_the_comparison_member_by_member(
    percent: int,
) -> None:
    members = [f"m{n}" for n in range(500)]
    spend = {m: (n % 7) * 1_250 - (n % 11 == 3) * 400 for n, m in enumerate(members)}
    orders = {m: n % 4 for n, m in enumerate(members) if n % 4}
    sums = {m: packed(orders.get(m, 0), spend[m]) for m in members}
    days = ("2026-01-01", "2026-12-31")
    audience = members[:450]  # some enrolled members are not in a segment's audience

    kept = compare_kept(
        audience, holdout_buckets("cmp", audience), percent, SpendAndOrders(spend, sums), days
    )

    bought = {m: Bought(orders.get(m, 0), spend[m]) for m in audience}
    assert kept == compare_campaign("cmp", percent, audience, bought, days)
