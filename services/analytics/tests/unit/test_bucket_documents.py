"""The buckets' documents: combinations as field names, the months and days a range is
read from, months as the sum of their days, parts split by a key's hash, and sums that
filter and group the rows as the old one-document-per-combination buckets did."""

from __future__ import annotations

import pytest

from services.analytics.adapters import buckets
from services.analytics.adapters.bucket_sums import bucket_queries, covering, summed
from services.analytics.adapters.buckets import (
    DAY,
    MONTH,
    BucketCounts,
    Period,
    Rows,
    merged,
    part_of,
    row_dims,
    row_key,
    views_for,
)
from services.analytics.domain.buckets import Increment, Kind

LINE = (("store_id", "S1"), ("channel", "pos"), ("tier", "gold"), ("category", "c"))


def line(day: str, sku: str, quantity: int = 1) -> Increment:
    return Increment(Kind.LINES, day, (*LINE, ("sku", sku)), (("quantity", quantity),))


def test_a_combination_is_a_field_name_without_dots_dollars_or_separators_and_reads_back() -> None:
    dims = (("store_id", "S.1"), ("sku", "$a|b=c%d"), ("category", "鞋"), ("tier", ""))

    key = row_key(dims)

    assert not {".", "$"} & set(key)
    assert key.count("|") == 3
    assert row_dims(key) == dict(dims)
    assert row_dims(row_key(())) == {}


def test_a_range_is_its_whole_months_and_the_days_at_either_end() -> None:
    assert covering("2025-03-15", "2026-03-14") == (
        ("2025-04", "2026-02"),
        [("2025-03-15", "2025-03-31"), ("2026-03-01", "2026-03-14")],
    )
    assert covering("2026-01-01", "2026-02-28") == (("2026-01", "2026-02"), [])
    assert covering("2026-01-05", "2026-01-20") == (None, [("2026-01-05", "2026-01-20")])
    assert covering("2026-01-05", "2026-02-27") == (
        None,
        [("2026-01-05", "2026-02-27")],
    )
    # from the first day ever: every month before, and this month's days
    assert covering("0001-01-01", "2026-03-09") == (
        ("0001-01", "2026-02"),
        [("2026-03-01", "2026-03-09")],
    )


def test_a_month_counts_the_sum_of_its_days() -> None:
    counts = BucketCounts()
    counts.add("t1", [line("2026-03-01", "A"), line("2026-03-31", "A", 2), line("2026-04-01", "B")])

    taken = counts.take()

    a, b = row_key((*LINE, ("sku", "A"))), row_key((*LINE, ("sku", "B")))
    # the lines count their entries too: how many lines each row counts
    assert taken[Period("t1", "lines", MONTH, "2026-03")] == {a: {"quantity": 3, "entries": 2}}
    assert taken[Period("t1", "lines", MONTH, "2026-04")] == {b: {"quantity": 1, "entries": 1}}
    assert taken[Period("t1", "lines", DAY, "2026-03-31")] == {a: {"quantity": 2, "entries": 1}}
    assert counts.take() == {}


def test_the_lines_are_also_kept_by_sku_and_by_store_channel_or_tier_and_sku_for_the_reads_that_need_no_more() -> (  # noqa: E501
    None
):
    counts = BucketCounts()
    other = Increment(
        Kind.LINES, "2026-03-02", (("store_id", "S2"), *LINE[1:], ("sku", "A")), (("quantity", 4),)
    )
    counts.add("t1", [line("2026-03-01", "A"), other])

    taken = counts.take()

    by_sku = Period("t1", "lines", MONTH, "2026-03", "category,sku")
    s2_by_sku = Period("t1", "lines", MONTH, "2026-03", "store_id,category,sku@S2")
    pos_by_sku = Period("t1", "lines", MONTH, "2026-03", "channel,category,sku@pos")
    gold_by_sku = Period("t1", "lines", DAY, "2026-03-02", "tier,category,sku@gold")
    assert taken[by_sku] == {
        row_key((("category", "c"), ("sku", "A"))): {"quantity": 5, "entries": 2}
    }
    assert taken[s2_by_sku] == {
        row_key((("store_id", "S2"), ("category", "c"), ("sku", "A"))): {
            "quantity": 4,
            "entries": 1,
        }
    }
    assert taken[pos_by_sku] == {
        row_key((("channel", "pos"), ("category", "c"), ("sku", "A"))): {
            "quantity": 5,
            "entries": 2,
        }
    }
    assert taken[gold_by_sku] == {
        row_key((("tier", "gold"), ("category", "c"), ("sku", "A"))): {"quantity": 4, "entries": 1}
    }
    assert Period("t1", "lines", DAY, "2026-03-02", "store_id,category,sku@S1") not in taken


def test_a_sum_reads_the_smallest_view_holding_what_it_groups_and_filters_by() -> None:
    at_stores = {"store_id": frozenset({"S.2", "S1"})}

    assert views_for("lines", {"sku"}, {}) == ["category,sku"]
    assert views_for("lines", {"sku"}, at_stores) == [
        "store_id,category,sku@S%2E2",
        "store_id,category,sku@S1",
    ]
    # grouped by store but not filtered: every store's documents would be read
    assert views_for("lines", {"sku", "store_id"}, {}) == [""]
    assert views_for("lines", {"sku"}, {"tier": ("gold",)}) == ["tier,category,sku@gold"]
    assert views_for("lines", {"sku"}, {"channel": ("app",)}) == ["channel,category,sku@app"]
    assert views_for("orders", set(), {}) == [""]


def test_a_sum_filtered_by_two_or_three_of_store_channel_and_tier_reads_only_their_values() -> None:
    at_stores = {"store_id": frozenset({"S.2", "S1"})}
    every_dim = "store_id,channel,tier,category,sku"

    assert views_for("lines", {"sku"}, {"channel": ("app",), "tier": ("gold",)}) == [
        "channel,tier,category,sku@app@gold"
    ]
    assert views_for("lines", {"sku"}, {"channel": ("app",), **at_stores}) == [
        "store_id,channel,category,sku@S%2E2@app",
        "store_id,channel,category,sku@S1@app",
    ]
    assert views_for("lines", {"sku"}, {"tier": ("gold",), **at_stores}) == [
        f"{every_dim}@S%2E2@gold",
        f"{every_dim}@S1@gold",
    ]
    three = {"store_id": ("S1",), "channel": ("pos",), "tier": ("gold",)}
    assert views_for("lines", {"category", "sku"}, three) == [f"{every_dim}@S1@gold"]


def test_the_roll_ups_of_two_filters_keep_only_the_rows_holding_both() -> None:
    counts = BucketCounts()
    at_no_store = (("channel", "app"), ("tier", "gold"), ("category", "c"), ("sku", "A"))
    at_store = (("store_id", "S1"), ("channel", "pos"), ("tier", "gold"), ("category", "c"))
    counts.add(
        "t1",
        [
            Increment(Kind.LINES, "2026-03-02", at_no_store, (("quantity", 1),)),
            Increment(Kind.LINES, "2026-03-02", (*at_store, ("sku", "A")), (("quantity", 2),)),
        ],
    )

    taken = counts.take()
    views = {period.view for period in taken if period.level == DAY}

    every_dim = "store_id,channel,tier,category,sku"
    assert f"{every_dim}@S1@gold" in views
    assert "store_id,channel,category,sku@S1@pos" in views
    assert {"channel,tier,category,sku@app@gold", "channel,tier,category,sku@pos@gold"} <= views
    assert not [view for view in views if view.endswith("!") and view.count(",") > 2]
    app_gold = Period("t1", "lines", DAY, "2026-03-02", "channel,tier,category,sku@app@gold")
    assert taken[app_gold] == {row_key(at_no_store): {"quantity": 1, "entries": 1}}


def rows_of(n: int) -> Rows:
    return {row_key((*LINE, ("sku", f"SKU-{i:04}"))): {"quantity": i} for i in range(n)}


def test_a_period_too_large_for_one_document_is_split_by_its_keys_hash_whatever_the_batches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(buckets, "PART_BYTES", 5_000)
    month = Period("t1", "lines", MONTH, "2026-03")
    rows = rows_of(200)
    keys = list(rows)

    at_once = merged(month, [], rows)
    stored = [doc for _, doc in merged(month, [], {k: rows[k] for k in keys[:50]})]
    for first in range(50, 200, 50):
        changed = dict(merged(month, stored, {k: rows[k] for k in keys[first : first + 50]}))
        parts = max(doc["n"] for doc in changed.values())
        stored = [changed.get(i) or stored[i] for i in range(parts)]

    parts = len(at_once)
    assert parts > 1
    assert [doc["n"] for _, doc in at_once] == [parts] * parts
    assert [doc for _, doc in at_once] == stored
    for index, doc in at_once:
        assert doc["_id"] == f"t1|lines||2026-03|{index}"
        assert {part_of(key, parts) for key in doc["r"]} == {index}
        assert len(str(doc["r"])) < 5_000


def test_only_the_parts_a_batch_changed_are_written_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(buckets, "PART_BYTES", 5_000)
    month = Period("t1", "lines", MONTH, "2026-03")
    rows = rows_of(200)
    stored = [doc for _, doc in merged(month, [], rows)]
    key = next(iter(rows))

    changed = merged(month, stored, {key: {"quantity": 5}})

    assert [index for index, _ in changed] == [part_of(key, len(stored))]
    assert changed[0][1]["r"][key] == {"quantity": 5}  # 0 + 5


def doc(period: str, **rows: dict[str, int]) -> dict[str, object]:
    """A document of the period whose rows are named store_channel_tier."""
    return {"d": period, "r": {row_key(tuple(sale_dims(k))): c for k, c in rows.items()}}


def sale_dims(name: str) -> list[tuple[str, str]]:
    store, channel, tier = name.split("_")
    return [("store_id", store), ("channel", channel), ("tier", tier)]


def test_sums_filter_the_rows_then_add_them_up_by_day_or_dimension() -> None:
    docs = [
        doc("2026-03-01", S1_pos_gold={"orders": 1}, S2_pos_gold={"orders": 2}),
        doc("2026-03-02", S1_pos_gold={"orders": 4, "gross": 9}, S1_app_silver={"orders": 8}),
    ]
    counters = ("orders", "gross")
    at_s1 = {"store_id": {"S1"}}

    assert summed(docs, (), counters, {}) == [({}, {"orders": 15, "gross": 9})]
    assert summed(docs, ("day",), counters, at_s1) == [
        ({"day": "2026-03-01"}, {"orders": 1, "gross": 0}),
        ({"day": "2026-03-02"}, {"orders": 12, "gross": 9}),
    ]
    assert summed(docs, ("tier", "day"), None, {"channel": {"pos"}}) == [
        ({"tier": "gold", "day": "2026-03-01"}, {"gross": 0, "orders": 3}),
        ({"tier": "gold", "day": "2026-03-02"}, {"gross": 9, "orders": 4}),
    ]
    # a filter on a dimension the rows do not have leaves them all out; no rows, no group
    assert summed(docs, (), counters, {"sku": {"x"}}) == []
    assert summed(docs, ("category",), counters, {}) == [
        ({"category": ""}, {"orders": 15, "gross": 9})
    ]


def test_a_member_merged_away_on_the_day_it_joined_leaves_its_tier_listed_with_none() -> None:
    counts = BucketCounts()
    joined = Increment(Kind.TIERS, "2026-03-02", (("tier", "gold"),), (("members", 1),))
    merged_away = Increment(Kind.TIERS, "2026-03-02", (("tier", "gold"),), (("members", -1),))
    counts.add("t1", [joined, merged_away])

    taken = counts.take()

    month = {"d": "2026-03", "r": taken[Period("t1", "tiers", MONTH, "2026-03")]}
    assert summed([month], ("tier",), ("members",), {}) == [({"tier": "gold"}, {"members": 0})]


def test_a_range_of_anything_but_days_is_read_from_the_days_as_the_strings_compare() -> None:
    (query,) = bucket_queries("t1", "orders", "2026-03", "2026-03-31", by_day=False)

    assert query == {
        "t": "t1",
        "k": "orders",
        "v": "",
        "g": DAY,
        "d": {"$gte": "2026-03", "$lte": "2026-03-31"},
    }
