"""Members' profiles: made from a member's document as the batch left it, kept as one
line of a page, and turned into what each profiling report takes, with merged members and
members refusing profiling left out as the per-member reads left them out."""

from __future__ import annotations

from libs.mongo import Doc
from services.analytics.adapters.pages import (
    PendingPages,
    line_of,
    merged_text,
    page_key,
    page_of,
    profile_of,
    profile_of_line,
    profiles_of,
)
from services.analytics.adapters.read_model import member_update
from services.analytics.adapters.updates import apply_update
from services.analytics.domain.buckets import (
    AddPurchase,
    AddReturn,
    AddReward,
    Enrol,
    MarkErased,
    MarkMerged,
    MemberOp,
    SetProfiling,
)
from services.analytics.domain.profiles import (
    CHURN_WANTED,
    MARKS_WANTED,
    REWARDED_WANTED,
    SPEND_WANTED,
    campaign_reach,
    churn_members,
    cohort_members,
    member_marks,
    member_spend,
    rewarded_members,
    rfm_members,
    rfm_totals,
    rfm_wanted,
)
from services.analytics.domain.rfm import totals


def _member(member_id: str, *ops: MemberOp) -> Doc:
    """A member's document after these ops, as the read model's flush writes it."""
    doc: Doc = {"_id": f"t:{member_id}"}
    for n, op in enumerate(ops):
        update = member_update(op) or {}
        update.setdefault("$setOnInsert", {}).update({"t": "t", "m": member_id})
        apply_update(doc, update, inserting=n == 0)
    return doc


REGULAR = _member(
    "m1",
    Enrol("gold", "2026-01-03"),
    AddPurchase("2026-01-05", "S2", "pos", 1000),
    AddPurchase("2026-01-05", "S1", "app", 500),
    AddPurchase("2026-02-01", "S3", "pos", 250),
    AddPurchase("2026-03-01", "S1", "pos", 700),
    AddReturn("2026-03-02", 200),
    AddReward("c1", "2026-02-20"),
)


def test_a_line_gives_back_the_profile_it_was_made_from() -> None:
    profile = profile_of(REGULAR)

    assert profile_of_line(line_of(profile)) == profile
    assert profile.purchase_days == ("2026-01-05", "2026-02-01", "2026-03-01")
    assert (profile.spend_days[0], profile.orders[0], profile.gross[0]) == ("2026-01-05", 2, 1500)


def test_odd_ids_tiers_stores_and_campaigns_keep_to_their_own_fields_and_lines() -> None:
    odd = _member(
        'm\t"2\n \\s',
        Enrol("a tier\\", "2026-01-01"),
        AddPurchase("2026-01-02", "S 1\t", "pos", 100),
        AddReward("", "2026-01-03"),
        AddReward("c 2", "2026-01-04"),
    )

    (profile,) = profiles_of(merged_text("", {"k": line_of(profile_of(odd))}))

    assert profile == profile_of(odd)
    assert profile.member_id == 'm\t"2\n \\s'
    assert (profile.tier, profile.last_store) == ("a tier\\", "S 1\t")
    assert profile.rewards == (("", "2026-01-03"), ("c 2", "2026-01-04"))


def test_each_report_takes_from_a_profile_what_it_took_from_the_document() -> None:
    profile = profile_of(REGULAR)

    (cohort,) = cohort_members([profile], "2026-01-01", "2026-01-31")
    (rfm,) = rfm_members([profile])
    (totals,) = rfm_totals([profile], "2026-01-01", "2026-03-31")
    (churn,) = churn_members([profile])
    (rewarded,) = rewarded_members([profile])

    assert cohort.enrolled_day == "2026-01-03"
    assert cohort.purchase_days == ("2026-01-05", "2026-02-01", "2026-03-01")
    assert rfm.orders == {"2026-01-05": 2, "2026-02-01": 1, "2026-03-01": 1}
    assert rfm.returned == {"2026-03-02": 200}
    assert totals == (4, 2450 - 200, "2026-03-01")  # orders, net cents, last purchase
    assert rfm_totals([profile], "2026-03-02", "2026-03-31") == []  # the return alone
    assert (churn.last_store, churn.return_days, churn.tier) == ("S1", ("2026-03-02",), "gold")
    assert rewarded.rewards == (("c1", "2026-02-20"),)
    assert member_spend([profile], "2026-03-01", "2026-03-31") == {"m1": 500}
    assert campaign_reach([profile], "2026-02-01", "2026-02-28") == {"c1": 1}
    assert campaign_reach([profile], "2026-03-01", "2026-03-31") == {}


def test_a_member_who_bought_on_fewer_than_three_days_is_no_churn_member() -> None:
    twice = _member(
        "m2",
        Enrol("member", "2026-01-01"),
        AddPurchase("2026-01-02", "S1", "pos", 100),
        AddPurchase("2026-01-02", "S2", "pos", 100),
        AddPurchase("2026-01-09", "S1", "pos", 100),
    )

    assert churn_members([profile_of(twice)]) == []


def test_a_merged_member_is_in_no_report_but_its_survivor_carries_its_history() -> None:
    gone = _member("gone", Enrol("member", "2026-01-02"), MarkMerged("m1"))
    # The survivor as TakeHistory leaves it: the merged member's days added to its own.
    survivor = _member(
        "m1",
        Enrol("gold", "2026-01-03"),
        AddPurchase("2026-01-05", "S1", "pos", 1000),
        AddPurchase("2026-01-20", "S9", "pos", 300),
    )
    profiles = [profile_of(gone), profile_of(survivor)]

    assert [c.enrolled_day for c in cohort_members(profiles, "2026-01-01", "2026-01-31")] == [
        "2026-01-03"
    ]
    assert set(member_spend(profiles, "2026-01-01", "2026-01-31")) == {"m1"}
    assert member_marks(profiles).merged_into == {"gone": "m1"}
    assert rfm_totals(profiles, "2026-01-01", "2026-01-31") == [(2, 1300, "2026-01-20")]


def test_a_member_refusing_profiling_is_left_out_of_profiling_but_not_of_spend() -> None:
    refusing = _member(
        "m3",
        Enrol("member", "2026-01-01"),
        AddPurchase("2026-01-02", "S1", "pos", 100),
        SetProfiling(refuses=True),
    )
    profiles = [profile_of(refusing)]

    assert cohort_members(profiles, "2026-01-01", "2026-01-31") == []
    assert rfm_totals(profiles, "2026-01-01", "2026-01-31") == []
    assert member_spend(profiles, "2026-01-01", "2026-01-31") == {"m3": 100}
    assert member_marks(profiles).refusing == frozenset({"m3"})


def test_an_erased_member_is_counted_without_its_id_in_the_line_changing_anything_else() -> None:
    erased = profile_of(_member("m4", Enrol("member", "2026-01-01"), MarkErased()))

    assert erased.erased
    assert profile_of_line(line_of(erased)) == erased


def test_a_page_takes_a_members_new_line_in_place_of_its_old_one() -> None:
    first = line_of(profile_of(_member("a", Enrol("member", "2026-01-01"))))
    other = line_of(profile_of(_member("b", Enrol("member", "2026-01-01"))))
    changed = line_of(profile_of(_member("a", Enrol("gold", "2026-01-01"))))
    key = first.partition("\t")[0]

    text = merged_text(merged_text("", {key: first}), {other.partition("\t")[0]: other})
    text = merged_text(text, {key: changed})

    assert [p.tier for p in profiles_of(text)] == ["gold", "member"]


def test_a_line_the_batch_left_as_it_was_is_not_written_and_the_last_one_noted_wins() -> None:
    pages = PendingPages()
    before = line_of(profile_of(_member("a", Enrol("member", "2026-01-01"))))
    after = line_of(profile_of(_member("a", Enrol("gold", "2026-01-01"))))

    pages.note("t", before, before)
    assert pages.take() == {}

    pages.note("t", None, before)
    pages.note("t", before, after)  # the same member again, as a redelivery would
    ((at, (tenant, page, lines)),) = pages.take().items()
    assert (at, tenant, page) == (page_key("t", page_of("a")), "t", page_of("a"))
    assert list(lines.values()) == [(None, after)]  # the line it had first, and its last


def test_what_a_report_reads_of_a_page_leaves_out_no_member_its_arithmetic_takes() -> None:
    members = [
        REGULAR,
        _member("idle", Enrol("member", "2026-02-01")),
        _member("gone", Enrol("member", "2026-01-02"), MarkMerged("m1")),
        _member("no", Enrol("member", "2026-01-02"), SetProfiling(refuses=True)),
        _member("late", AddPurchase("2026-04-01", "S1", "pos", 100), AddReward("c2", "2026-04-02")),
    ]
    lines = [line_of(profile_of(doc)) for doc in members]
    text = merged_text("", {line.partition("\t")[0]: line for line in lines})
    everyone = profiles_of(text)
    for days in (
        ("2026-01-01", "2026-01-31"),
        ("2026-02-15", "2026-04-30"),
        ("2027-01-01", "2027-12-31"),
    ):
        assert rfm_totals(profiles_of(text, rfm_wanted(*days)), *days) == rfm_totals(
            everyone, *days
        )
        # the columns summed in one pass as domain/rfm.py sums a member's days
        profiled = [p for p in everyone if p.profiled]
        assert rfm_totals(everyone, *days) == [
            t for t in (totals(m, *days) for m in rfm_members(profiled)) if t
        ]
        assert campaign_reach(profiles_of(text, REWARDED_WANTED), *days) == campaign_reach(
            everyone, *days
        )
        assert member_spend(profiles_of(text, SPEND_WANTED), *days) == member_spend(everyone, *days)
    assert churn_members(profiles_of(text, CHURN_WANTED)) == churn_members(everyone)
    assert rewarded_members(profiles_of(text, REWARDED_WANTED)) == rewarded_members(everyone)
    assert member_marks(profiles_of(text, MARKS_WANTED)) == member_marks(everyone)
    assert len(profiles_of(text, CHURN_WANTED)) == 1  # the others' lines are not decoded
