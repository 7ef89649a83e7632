"""The liability kept at ingest: a member's new wallet moves the running totals and the
lots by expiry by its difference from the wallet kept, and the points expiring within n
days of an instant come out of the days and the two partial days exactly as summing
every lot would."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.analytics.domain.buckets import Known, MemberState, plan
from services.analytics.domain.facts import Enrolled, Lot, Wallet, WalletSeen
from services.analytics.domain.liability import (
    WalletChange,
    before_cut,
    expiring,
    expiry_day,
    expiry_minute,
    expiry_windows,
    lots_by_instant,
    wallet_change,
)
from services.analytics.domain.reports import EXPIRY_WINDOWS, expiring_within

AT = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
SOON = datetime(2027, 1, 10, 8, 0, tzinfo=UTC)
LATER = datetime(2027, 2, 20, 18, 0, tzinfo=UTC)


class Kept:
    """What the read model keeps: each member's last wallet, and the liability moved by
    every change, added up as the flush adds them."""

    def __init__(self) -> None:
        self.wallets: dict[str, Wallet] = {}
        self.totals = [0, 0, 0, 0]
        self.lots: dict[datetime, int] = defaultdict(int)

    def see(
        self, member_id: str, wallet: Wallet, merged_into: str = "", erased: bool = False
    ) -> None:
        kept = self.wallets.get(member_id)
        known = Known(MemberState(member_id, merged_into=merged_into, erased=erased, wallet=kept))
        for change in plan(WalletSeen("t", member_id, AT, wallet), "UTC", known).wallets:
            self.add(change)
        self.wallets[member_id] = wallet

    def add(self, change: WalletChange) -> None:
        for n, name in enumerate(("available", "held", "pending", "members")):
            self.totals[n] += getattr(change, name)
        for at, points in change.lots:
            self.lots[at] += points

    def summed(self) -> tuple[list[int], dict[datetime, int]]:
        """What one read of every kept wallet gives."""
        wallets = list(self.wallets.values())
        totals = [sum(w.available for w in wallets), sum(w.held for w in wallets)]
        totals += [sum(w.pending for w in wallets), len(wallets)]
        lots: dict[datetime, int] = defaultdict(int)
        for w in wallets:
            for at, points in lots_by_instant(w.lots).items():
                lots[at] += points
        return totals, {at: n for at, n in lots.items() if n}

    def kept(self) -> tuple[list[int], dict[datetime, int]]:
        return self.totals, {at: n for at, n in self.lots.items() if n}


def test_a_members_first_wallet_counts_the_member_and_every_point_and_lot() -> None:
    wallet = Wallet(90, 10, 5, (Lot(60, SOON), Lot(30, LATER)))

    change = wallet_change(None, wallet)

    assert (change.available, change.held, change.pending, change.members) == (90, 10, 5, 1)
    assert change.lots == ((SOON, 60), (LATER, 30))


def test_a_new_wallet_moves_the_totals_and_lots_by_its_difference_from_the_kept_one() -> None:
    before = Wallet(90, 0, 0, (Lot(60, SOON), Lot(30, LATER)))
    after = Wallet(70, 20, 0, (Lot(40, SOON), Lot(30, LATER), Lot(5, LATER + timedelta(days=1))))

    change = wallet_change(before, after)

    assert (change.available, change.held, change.pending, change.members) == (-20, 20, 0, 0)
    assert change.lots == ((SOON, -20), (LATER + timedelta(days=1), 5))


def test_the_same_wallet_again_moves_nothing_as_a_redelivered_snapshot_must_not() -> None:
    wallet = Wallet(90, 0, 3, (Lot(60, SOON), Lot(30, LATER)))
    # as the database gives it back: the lots' expiry to the millisecond
    stored = Wallet(90, 0, 3, (Lot(60, SOON), Lot(30, LATER)))
    finer = Wallet(90, 0, 3, (Lot(60, SOON + timedelta(microseconds=400)), Lot(30, LATER)))

    assert not wallet_change(wallet, wallet)
    assert not wallet_change(stored, finer)
    assert (
        plan(
            WalletSeen("t", "m1", AT, wallet), "UTC", Known(MemberState("m1", wallet=wallet))
        ).wallets
        == []
    )


def test_lots_sharing_an_expiry_instant_count_together() -> None:
    assert lots_by_instant([Lot(10, SOON), Lot(5, SOON), Lot(1, LATER)]) == {SOON: 15, LATER: 1}


def test_a_merge_moves_the_merged_members_points_to_the_survivor_without_counting_twice() -> None:
    kept = Kept()
    kept.see("survivor", Wallet(50, 0, 0, (Lot(50, SOON),)))
    kept.see("merged", Wallet(30, 5, 0, (Lot(30, LATER),)))

    # points.merged: the merged member's wallet empties, the survivor's takes its points
    kept.see("merged", Wallet(), merged_into="survivor")
    kept.see("survivor", Wallet(80, 5, 0, (Lot(50, SOON), Lot(30, LATER))))

    assert kept.kept() == kept.summed()
    assert kept.totals == [80, 5, 0, 2]  # the merged member's wallet was seen: still counted


def test_an_erased_members_wallet_still_counts() -> None:
    kept = Kept()
    kept.see("m1", Wallet(40, 0, 0, (Lot(40, SOON),)))

    kept.see("m1", Wallet(35, 0, 0, (Lot(35, SOON),)), erased=True)

    assert kept.kept() == ([35, 0, 0, 1], {SOON: 35})


def test_a_wallet_seen_before_the_enrolment_counts_once_and_the_enrolment_moves_nothing() -> None:
    first = plan(WalletSeen("t", "m1", AT, Wallet(10, 0, 0, (Lot(10, SOON),))), "UTC", Known())
    kept = MemberState("m1", wallet=Wallet(10, 0, 0, (Lot(10, SOON),)))
    enrolled = plan(Enrolled("t", "m1", AT, "pos", "S1", "member"), "UTC", Known(kept))
    enrolled_after = MemberState("m1", tier="member", enrolled=True, wallet=kept.wallet)
    next_wallet = WalletSeen("t", "m1", AT, Wallet(25, 0, 0, (Lot(10, SOON), Lot(15, LATER))))
    second = plan(next_wallet, "UTC", Known(enrolled_after))

    assert [c.members for c in first.wallets] == [1]
    assert enrolled.wallets == []
    assert [(c.available, c.members, c.lots) for c in second.wallets] == [(15, 0, ((LATER, 15),))]


def test_any_sequence_of_wallets_keeps_the_totals_equal_to_the_sum_of_the_last_ones() -> None:
    rng = random.Random(16)
    kept = Kept()
    instants = [
        SOON + timedelta(hours=rng.randrange(2000), milliseconds=rng.randrange(999))
        for _ in range(12)
    ]
    for _ in range(400):
        lots = tuple(
            Lot(rng.randrange(1, 50), rng.choice(instants)) for _ in range(rng.randrange(4))
        )
        wallet = Wallet(rng.randrange(500), rng.randrange(50), rng.randrange(50), lots)
        kept.see(f"m{rng.randrange(15)}", wallet)

    assert kept.kept() == kept.summed()


def by_day_and_before_cut(
    lots: dict[datetime, int], as_of: datetime
) -> tuple[dict[str, int], dict[str, int]]:
    """What the handler makes of the kept documents for `as_of`: the days' points, and
    each partial day's points at or before its cut from its minutes and the instants of
    the cut's minute."""
    reads = expiry_windows(as_of, EXPIRY_WINDOWS)
    first, last = reads.days()
    by_day: dict[str, int] = defaultdict(int)
    minutes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for at, points in lots.items():
        minutes[expiry_day(at)][expiry_minute(at)] += points
        if first <= expiry_day(at) <= last:
            by_day[expiry_day(at)] += points
    before = {
        part.day: before_cut(
            part,
            minutes[part.day],
            sum(n for at, n in lots.items() if part.start <= at <= part.end),
        )
        for part in reads.partial_days()
    }
    return by_day, before


@pytest.mark.parametrize(
    "as_of",
    [
        datetime(2026, 12, 7, 0, 0, tzinfo=UTC),  # midnight
        datetime(2026, 12, 7, 9, 30, 0, 250_400, tzinfo=UTC),  # morning: read before the cut
        datetime(2026, 12, 7, 12, 0, tzinfo=UTC),  # noon: read after the cut
        datetime(2026, 12, 7, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(2026, 12, 8, 6, 15, tzinfo=ZoneInfo("Asia/Shanghai")),  # 22:15 UTC
    ],
)
def test_points_expiring_within_each_window_are_what_summing_every_lot_gives(
    as_of: datetime,
) -> None:
    rng = random.Random(as_of.timestamp())
    base = as_of.replace(hour=0, minute=0, second=0, microsecond=0)
    lots: dict[datetime, int] = defaultdict(int)
    for _ in range(3000):
        at = base + timedelta(milliseconds=rng.randrange(-2 * 86_400_000, 93 * 86_400_000))
        lots[at] += rng.randrange(1, 100)
    # lots right at the window's ends: as_of itself (out) and as_of + n days (in)
    edge = expiry_windows(as_of, EXPIRY_WINDOWS).as_of
    for n in (0, *EXPIRY_WINDOWS):
        for ms in (-1, 0, 1):
            lots[edge + timedelta(days=n, milliseconds=ms)] += 1000 + n
    every = [Lot(points, at) for at, points in lots.items()]

    found = expiring(expiry_windows(as_of, EXPIRY_WINDOWS), *by_day_and_before_cut(lots, as_of))

    assert found == {n: expiring_within(every, edge, n) for n in EXPIRY_WINDOWS}
    assert found == {n: expiring_within(every, as_of, n) for n in EXPIRY_WINDOWS}


def test_a_partial_day_reads_the_instants_of_one_minute_at_most() -> None:
    morning = expiry_windows(datetime(2026, 12, 7, 9, 30, 12, 345_678, tzinfo=UTC), (30, 60, 90))

    parts = morning.partial_days()

    assert [p.day for p in parts] == ["2026-12-07", "2027-01-06", "2027-02-05", "2027-03-07"]
    assert morning.days() == ("2026-12-07", "2027-03-07")
    assert {p.minute for p in parts} == {"0930"}
    assert (parts[1].start, parts[1].end) == (
        datetime(2027, 1, 6, 9, 30, tzinfo=UTC),
        datetime(2027, 1, 6, 9, 30, 12, 345_000, tzinfo=UTC),
    )


def test_before_its_cut_a_day_holds_its_earlier_minutes_and_its_cut_minutes_instants() -> None:
    (part, *_) = expiry_windows(datetime(2026, 12, 7, 9, 30, 12, tzinfo=UTC), (30,)).partial_days()
    minutes = {"0000": 1, "0929": 10, "0930": 100, "0931": 1000, "2359": 10_000}

    assert before_cut(part, minutes, instants=40) == 51
