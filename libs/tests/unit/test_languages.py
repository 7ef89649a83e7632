"""Which language a reader gets, and operator texts in several languages."""

from __future__ import annotations

from libs.languages import Translations, accepted, canonical_tag, negotiate

OFFERED = ("en", "zh-CN")


def test_the_most_wanted_language_comes_first_by_q_value_not_by_position() -> None:
    assert accepted("en;q=0.4, zh-CN;q=0.9, fr") == ["fr", "zh-CN", "en"]


def test_a_language_with_q_zero_or_an_unreadable_weight_is_not_accepted() -> None:
    assert accepted("zh-CN;q=0, en;q=abc, fr;q=0.5") == ["fr"]


def test_a_reader_asking_for_chinese_gets_chinese() -> None:
    assert negotiate("zh-CN,zh;q=0.9,en;q=0.8", OFFERED, "en") == "zh-CN"


def test_a_reader_asking_for_english_first_gets_english() -> None:
    assert negotiate("en-US,en;q=0.9,zh-CN;q=0.5", OFFERED, "zh-CN") == "en"


def test_q_values_win_over_the_order_of_the_header() -> None:
    assert negotiate("en;q=0.2, zh-CN;q=0.8", OFFERED, "en") == "zh-CN"


def test_a_primary_language_matches_its_regional_variant() -> None:
    assert negotiate("zh", OFFERED, "en") == "zh-CN"
    assert negotiate("zh-TW", OFFERED, "en") == "zh-CN"


def test_a_language_not_offered_falls_back_to_the_next_accepted_one() -> None:
    assert negotiate("fr-FR, zh-CN;q=0.5", OFFERED, "en") == "zh-CN"


def test_a_language_not_offered_at_all_falls_back_to_the_tenants_default() -> None:
    assert negotiate("fr", OFFERED, "zh-CN") == "zh-CN"
    assert negotiate("fr", OFFERED, "en") == "en"


def test_no_header_and_a_wildcard_read_the_tenants_default() -> None:
    assert negotiate(None, OFFERED, "en") == "en"
    assert negotiate("", OFFERED, "zh-CN") == "zh-CN"
    assert negotiate("*", ("zh-CN", "en"), "zh-CN") == "zh-CN"


def test_language_tags_are_written_in_their_canonical_case() -> None:
    assert canonical_tag("zh-cn") == "zh-CN"
    assert canonical_tag("ZH-hant-tw") == "zh-Hant-TW"


SHOES = Translations.of({"zh-cn": {"name": "鞋类双倍积分"}, "fr": {"description": "Chaussures"}})


def test_a_translated_field_reads_in_the_readers_language() -> None:
    assert SHOES.text("name", "zh-CN", "Double points on shoes") == "鞋类双倍积分"


def test_a_field_without_a_translation_reads_as_typed() -> None:
    assert SHOES.text("name", "fr", "Double points on shoes") == "Double points on shoes"
    assert SHOES.text("description", "zh-CN", "Shoes") == "Shoes"
    assert SHOES.text("name", "en", "Double points on shoes") == "Double points on shoes"


def test_translations_keep_their_shape_by_language_and_field() -> None:
    assert SHOES.by_locale() == {
        "fr": {"description": "Chaussures"},
        "zh-CN": {"name": "鞋类双倍积分"},
    }
    assert Translations.of(SHOES.by_locale()) == SHOES


def test_translations_name_each_problem_with_its_field() -> None:
    bad = Translations.of({"not a tag": {"name": "x"}, "zh-CN": {"colour": "红", "name": " "}})
    assert bad.problems(("name", "description")) == [
        "translations.not a tag: a language tag such as zh-CN",
        "translations.zh-CN.colour: not a translatable field (description, name)",
        "translations.zh-CN.name: from 1 to 2000 characters",
    ]
    assert SHOES.problems(("name", "description")) == []
