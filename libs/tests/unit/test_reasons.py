"""Ledger reasons rendered from their code in the reader's language."""

# ruff: noqa: RUF001
from __future__ import annotations

import pytest

from libs import reasons
from libs.languages import PLATFORM_LANGUAGES, Translations
from libs.reasons import CAMPAIGN_BONUS, campaign_bonus, render, translated_names

STORED = "Double points on shoes (v2)"
SHOES = campaign_bonus("cmp_1", 2, "Double points on shoes", {"zh-CN": "鞋类双倍积分"})


def test_a_campaign_bonus_reads_in_english_for_an_english_reader() -> None:
    assert render(CAMPAIGN_BONUS, SHOES, STORED, "en") == "Double points on shoes (v2)"


def test_a_campaign_bonus_reads_in_chinese_for_a_chinese_reader() -> None:
    assert render(CAMPAIGN_BONUS, SHOES, STORED, "zh-CN") == "鞋类双倍积分 (v2)"


def test_a_campaign_bonus_without_the_readers_language_reads_its_name_as_typed() -> None:
    assert render(CAMPAIGN_BONUS, SHOES, STORED, "fr") == "Double points on shoes (v2)"


def test_a_campaign_bonus_carries_its_id_version_and_names() -> None:
    assert SHOES == {
        "campaign_id": "cmp_1",
        "version": "2",
        "name": "Double points on shoes",
        "name.zh-CN": "鞋类双倍积分",
    }


def test_an_entry_without_a_code_reads_as_stored() -> None:
    assert render("", {}, "adjusted by an operator: goodwill", "zh-CN") == (
        "adjusted by an operator: goodwill"
    )


def test_an_unknown_code_or_missing_parameters_read_as_stored() -> None:
    assert render("someday_code", SHOES, STORED, "zh-CN") == STORED
    assert render(CAMPAIGN_BONUS, {"version": "2"}, STORED, "zh-CN") == STORED


def test_a_name_in_other_languages_is_taken_from_its_translations() -> None:
    texts = Translations.of(
        {"zh-CN": {"name": "鞋", "description": "说明"}, "fr": {"description": "d"}}
    )
    assert translated_names(texts) == {"zh-CN": "鞋"}


SILVER = reasons.tier_bonus("Silver", "1.25", {"zh-CN": "银卡会员", "fr": ""})


def test_a_tier_bonus_carries_its_tier_name_in_other_languages() -> None:
    assert SILVER == {"tier": "Silver", "multiplier": "1.25", "tier.zh-CN": "银卡会员"}


def test_a_tier_bonus_names_the_tier_in_the_readers_language() -> None:
    stored = "Silver tier ×1.25"
    assert render(reasons.TIER_BONUS, SILVER, stored, "zh-CN") == "银卡会员等级 ×1.25"
    assert render(reasons.TIER_BONUS, SILVER, stored, "zh-Hans-CN") == "银卡会员等级 ×1.25"
    assert render(reasons.TIER_BONUS, SILVER, stored, "en") == stored
    assert render(reasons.TIER_BONUS, SILVER, stored, "fr") == stored


def test_a_tier_bonus_written_without_names_reads_with_the_typed_name() -> None:
    old_entry = {"tier": "Gold", "multiplier": "1.5"}
    assert render(reasons.TIER_BONUS, old_entry, "Gold tier ×1.5", "zh-CN") == "Gold等级 ×1.5"


# Every code the platform writes, a sample of its parameters, its stored (English) text
# and its Chinese rendering.
SAMPLES = {
    reasons.EARNING_RATE: (
        reasons.earning_rate("1.5", "CNY"),
        "1.5 points per CNY 1",
        "每 CNY 1 元积 1.5 分",
    ),
    reasons.PURCHASE: (
        reasons.purchase("o-1", "1", "CNY", store_id="S1"),
        "1 point per CNY 1 at store S1",
        "订单 o-1：每 CNY 1 元积 1 分（门店 S1）",
    ),
    reasons.TIER_BONUS: (
        reasons.tier_bonus("Gold", "1.5"),
        "Gold tier ×1.5",
        "Gold等级 ×1.5",
    ),
    reasons.RETURN: (
        reasons.returned("o-1", currency="CNY", amount="50"),
        "returned CNY 50",
        "订单 o-1 退货 CNY 50",
    ),
    reasons.REDEEMED: (
        reasons.redeemed("o-1", "S1"),
        "redeemed on order o-1 at store S1",
        "积分兑换（订单 o-1）（门店 S1）",
    ),
    reasons.REDEEM_CANCELLED: (
        reasons.redeemed("o-1"),
        "cancelled: redeemed on order o-1",
        "已取消：积分兑换（订单 o-1）",
    ),
    reasons.EXPIRED: (
        reasons.expired("2026-01-02", "o-1"),
        "expired: earned 2026-01-02 on order o-1",
        "积分过期：2026-01-02 获得（订单 o-1）",
    ),
    reasons.ADJUSTMENT: (
        reasons.operator_text("goodwill"),
        "adjusted by an operator: goodwill",
        "人工调整：goodwill",
    ),
    reasons.TRANSFER_OUT: (
        reasons.operator_text("gift", "m-2"),
        "transferred to member m-2: gift",
        "转出至会员 m-2：gift",
    ),
    reasons.TRANSFER_IN: (
        reasons.operator_text("gift", "m-1"),
        "transferred from member m-1: gift",
        "由会员 m-1 转入：gift",
    ),
    reasons.MERGE_OUT: (reasons.merged("m-2"), "merged into member m-2", "合并至会员 m-2"),
    reasons.MERGE_IN: (reasons.merged("m-1"), "merged from member m-1", "由会员 m-1 合并"),
    reasons.CAMPAIGN_BONUS: (SHOES, STORED, "鞋类双倍积分 (v2)"),
}


def test_every_code_has_a_sample_here() -> None:
    assert set(SAMPLES) == reasons.CODES


def test_every_text_of_a_reason_exists_in_every_platform_language() -> None:
    missing = [
        (key, language)
        for key, texts in reasons.TEXTS.items()
        for language in PLATFORM_LANGUAGES
        if not texts.get(language)
    ]
    assert missing == []


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_every_code_reads_in_english_as_the_ledger_stores_it(code: str) -> None:
    params, english, _ = SAMPLES[code]
    assert render(code, params, "stored", "en") == english


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_every_code_reads_in_chinese_for_a_chinese_reader(code: str) -> None:
    params, _, chinese = SAMPLES[code]
    assert render(code, params, "stored", "zh-CN") == chinese


def test_a_purchase_online_names_its_channel() -> None:
    params = reasons.purchase("o-1", "2", "CNY", channel="online")
    assert render(reasons.PURCHASE, params, "", "en") == "2 points per CNY 1 on online"
    assert render(reasons.PURCHASE, params, "", "zh-CN") == "订单 o-1：每 CNY 1 元积 2 分（online）"


def test_a_return_of_items_that_were_partly_spent_says_what_was_not_taken_back() -> None:
    params = reasons.returned("o-1", items="2 × SKU-1", not_taken_back=30)
    assert render(reasons.RETURN, params, "", "en") == (
        "returned 2 × SKU-1 (30 points already spent, not taken back)"
    )
    assert render(reasons.RETURN, params, "", "zh-CN") == (
        "订单 o-1 退货 2 × SKU-1（30 积分已使用，未扣回）"
    )


def test_a_chinese_variant_reads_in_simplified_chinese_and_another_language_in_english() -> None:
    params = reasons.merged("m-1")
    assert render(reasons.MERGE_IN, params, "", "zh") == "由会员 m-1 合并"
    assert render(reasons.MERGE_IN, params, "", "fr") == "merged from member m-1"


def test_a_platform_code_without_its_parameters_reads_as_stored() -> None:
    assert render(reasons.ADJUSTMENT, {}, "adjusted by an operator: x", "zh-CN") == (
        "adjusted by an operator: x"
    )
