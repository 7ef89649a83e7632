"""What the member pages keep beside their lines gives the reports exactly what the lines
give: RFM's totals and the league table's spends from month sums (any range, whole
months or cut), churn risk from the headings (as of any day), the holdout split from
kept hash buckets; and the sections a flush changes member by member are the sections
all the page's lines make."""

from __future__ import annotations

import random
from datetime import date, timedelta

from libs.holdout import held_out, holdout_buckets
from services.analytics.adapters.holdout_buckets import HoldoutBuckets
from services.analytics.adapters.page_sections import kept_churns, page_sections, sections_of
from services.analytics.adapters.pages import line_of, profile_of_line
from services.analytics.adapters.profile_reads import range_sums
from services.analytics.domain.churn import churn_risk
from services.analytics.domain.churn_kept import kept_churn_risk
from services.analytics.domain.league import compare, compare_moments, split_moments
from services.analytics.domain.month_sums import MonthPart, month_parts
from services.analytics.domain.profiles import (
    MemberProfile,
    churn_members,
    member_spend,
    rfm_totals,
)

START = date(2025, 11, 20)


def _days(rng: random.Random, most: int) -> list[str]:
    return sorted({(START + timedelta(rng.randint(0, 400))).isoformat() for _ in range(most)})


def _profile(rng: random.Random, n: int) -> MemberProfile:
    bought = tuple(_days(rng, rng.randint(0, 7)))
    spend_days = tuple(sorted({*bought, *_days(rng, 1)}))
    returns = tuple(_days(rng, rng.randint(0, 2)))
    return MemberProfile(
        member_id=f"m {n}" if n % 7 == 0 else f"m{n}",  # some ids escaped
        tier=rng.choice(("gold", "silver", "", "top tier")),
        since=bought[0] if bought else "",
        merged_into="m0" if n % 11 == 5 else "",
        enrolled=n % 5 != 3,
        erased=n % 13 == 4,
        refuses_profiling=n % 9 == 2,
        purchase_days=bought,
        last_store=rng.choice(("S1", "S2", "")) if bought else "",
        spend_days=spend_days,
        orders=tuple(rng.randint(1, 3) if d in bought else 0 for d in spend_days),
        gross=tuple(rng.randint(0, 90_000) for _ in spend_days),
        return_days=returns,
        returned=tuple(rng.choice((0, 500, 12_000)) for _ in returns),
        reward_campaigns=("c1",) * (n % 4 == 0),
        reward_days=bought[:1] * (n % 4 == 0),
    )


def _members(seed: int, count: int = 300) -> list[MemberProfile]:
    rng = random.Random(seed)
    return [_profile(rng, n) for n in range(count)]


def _page(profiles: list[MemberProfile]) -> dict[str, object]:
    lines = sorted(line_of(p) for p in profiles)
    return {"x": "\n".join(lines), **sections_of(lines)}


def _with_a_late_order(page: dict[str, object], profiles: list[MemberProfile]) -> dict[str, object]:
    """The page after a late order (2025-12-03, in `RANGES[0]`'s first month) of one of
    its members who bought, as the flush keeps it."""
    buyer = next(p for p in profiles if p.spend_days and not p.merged)
    days = sorted(
        [("2025-12-03", 2, 4_500), *zip(buyer.spend_days, buyer.orders, buyer.gross, strict=True)]
    )
    late = buyer._replace(
        spend_days=tuple(day for day, _, _ in days),
        orders=tuple(orders for _, orders, _ in days),
        gross=tuple(gross for _, _, gross in days),
    )
    key = line_of(buyer).partition("\t")[0]
    return page_sections(page, "", {key: (line_of(buyer), line_of(late))})


RANGES = [
    ("2025-11-20", "2026-12-24"),  # cut at both ends
    ("2025-12-01", "2026-11-30"),  # whole months only
    ("2026-03-10", "2026-03-20"),  # inside one month
    ("2026-02-01", "2026-02-28"),  # one whole month
    ("2026-05-31", "2026-06-01"),  # a day of each
]


def test_month_parts_are_whole_months_and_the_cut_ends() -> None:
    assert month_parts("2026-01-15", "2026-03-31") == [
        MonthPart("2026-01", "2026-01-15", "2026-01-31", False),
        MonthPart("2026-02", "2026-02-01", "2026-02-28", True),
        MonthPart("2026-03", "2026-03-01", "2026-03-31", True),
    ]
    assert month_parts("2024-02-03", "2024-02-03") == [
        MonthPart("2024-02", "2024-02-03", "2024-02-03", False)
    ]
    assert [p.month for p in month_parts("2025-12-01", "2026-01-31")] == ["2025-12", "2026-01"]


def test_rfm_totals_and_spends_from_month_sums_are_those_of_the_lines_for_any_range() -> None:
    for seed in range(4):
        profiles = _members(seed)
        page = _page(profiles)
        refusing = frozenset(
            line.partition("\t")[0]
            for line in str(page["k"]).split("\n")
            if line and profile_of_line(line).profiled is False
            if not profile_of_line(line).merged
        )
        for from_day, to_day in RANGES:
            sums = range_sums([str(page["m"])], from_day, to_day)
            assert sorted(sums.rfm_totals(refusing)) == sorted(
                rfm_totals(profiles, from_day, to_day)
            )
            enrolled = str(page["e"]).split()
            spent = sums.net_spend()
            assert {k: spent.get(k, 0) for k in enrolled} == {
                line_of(p).partition("\t")[0]: cents
                for p in profiles
                for m, cents in member_spend([p], from_day, to_day).items()
                if m == p.member_id
            }


def test_churn_risk_from_the_headings_is_churn_risk_from_the_days_as_of_any_day() -> None:
    for seed in range(4):
        profiles = _members(seed)
        page = _page(profiles)
        kept = kept_churns([page])
        members = churn_members(profiles)
        by_id = {m.member_id: m for m in members}
        rest = [kept.rest(n) for n in range(len(kept.indexes))]
        assert {k.member_id: k.member() for k in rest} == by_id
        for day in ("2025-12-10", "2026-04-01", "2026-09-30", "2026-12-24", "2027-06-01"):
            for tier, stores in (("", ()), ("gold", ()), ("", ("S1",))):
                assert kept_churn_risk(kept, day, tier, stores) == churn_risk(
                    members, day, tier, stores
                )


def test_sections_changed_member_by_member_are_those_all_the_lines_make() -> None:
    rng = random.Random(7)
    profiles = _members(1, 120)
    page = _page(profiles)
    for _ in range(5):
        changes: dict[str, tuple[str | None, str]] = {}
        for n in rng.sample(range(150), 30):  # changed members, and members new to the page
            after = line_of(_profile(rng, n))
            key = after.partition("\t")[0]
            before = next(
                (line for line in str(page["x"]).split("\n") if line.startswith(key + "\t")),
                None,
            )
            changes[key] = (before, after)
        kept = {line.partition("\t")[0]: line for line in str(page["x"]).split("\n")}
        kept.update({key: after for key, (_, after) in changes.items()})
        text = "\n".join(kept[key] for key in sorted(kept))
        changed = page_sections({**page, "v": 1}, text, changes)
        assert changed == sections_of(text.split("\n"))
        page = {"x": text, **changed}


def test_kept_holdout_buckets_split_members_as_the_campaign_hash_does() -> None:
    ids = [f"mem_{n}" for n in range(500)]
    assert [b < 10 for b in holdout_buckets("c9", ids)] == [held_out("c9", m, 10) for m in ids]
    kept = HoldoutBuckets(kept=1)
    first = kept.of("c9", ids)
    changed = [*ids[50:], "mem_new", "mem_newer"]
    assert kept.of("c9", changed) == holdout_buckets("c9", changed)
    assert kept.of("c8", ids) == holdout_buckets("c8", ids)  # c9 let go
    assert kept.of("c9", ids) == first
    odd = ["a\nb", "c"]  # an id with a newline is hashed, not kept
    assert kept.of("c9", odd) == holdout_buckets("c9", odd)
    assert kept.of("c9", []) == b""


def test_the_comparison_from_split_moments_is_the_comparison_member_by_member() -> None:
    rng = random.Random(3)
    ids = [f"mem_{n}" for n in range(2000)]
    spend = {m: rng.choice((0, 0, 1500, 9900, 42_000)) for m in ids}
    days = ("2026-01-01", "2026-03-31")
    for percent in (0, 1, 10, 50):
        targeted, out = split_moments(ids, holdout_buckets("cmp", ids), percent, spend)
        assert compare_moments(targeted, out, days, 25_000) == compare(
            "cmp", percent, spend, days, 25_000
        )
