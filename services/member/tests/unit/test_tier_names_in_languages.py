"""A tier's name in other languages: kept with the program, refused when malformed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from libs.errors import InvalidArgument
from libs.languages import Translations
from services.member.adapters.documents.tenants import program_from_doc, program_to_doc
from services.member.domain.tiers import TierProgram, validate_program
from services.member.entrypoints.translators.admin import program_from, program_message
from services.member.tests.unit.support import PROGRAM

GOLD = Translations.of({"zh-CN": {"name": "金卡"}})


def _translated(texts: Translations) -> TierProgram:
    tiers = (*PROGRAM.tiers[:-1], replace(PROGRAM.tiers[-1], translations=texts))
    return replace(PROGRAM, tiers=tiers)


def test_a_tiers_chinese_name_survives_the_wire_and_the_database() -> None:
    program = _translated(GOLD)
    assert program_from(program_message(program)).tiers == program.tiers
    assert program_from_doc(program_to_doc("t", program)).tiers == program.tiers


def test_a_tier_translation_of_another_field_than_its_name_is_refused() -> None:
    program = _translated(Translations.of({"zh-CN": {"threshold": "一千"}}))
    with pytest.raises(InvalidArgument, match=r"^tiers\[\d+\]\.translations\.zh-CN\.threshold:"):
        validate_program(program)
