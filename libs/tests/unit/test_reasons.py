"""Ledger reasons rendered from their code in the reader's language."""

from __future__ import annotations

from libs.languages import Translations
from libs.reasons import CAMPAIGN_BONUS, campaign_bonus, campaign_names, render

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


def test_a_campaigns_names_are_taken_from_its_translations() -> None:
    texts = Translations.of(
        {"zh-CN": {"name": "鞋", "description": "说明"}, "fr": {"description": "d"}}
    )
    assert campaign_names(texts) == {"zh-CN": "鞋"}
