from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from libs.errors import InvalidArgument
from services.member.domain.attributes import AttributeType
from services.member.domain.profile import parse_consents, parse_profile
from services.member.domain.tiers import Tier, TierProgram, parse_multiplier, validate_program

TODAY = date(2026, 11, 25)


def program(*tiers: Tier) -> TierProgram:
    return TierProgram(tiers, "points_earned", 365, 30)


def test_a_program_of_ascending_tiers_starting_at_zero_is_valid() -> None:
    valid = program(Tier("member", "Member", 0, Decimal(1)), Tier("gold", "Gold", 5000, Decimal(2)))
    assert validate_program(valid).entry_tier.code == "member"


def test_the_entry_tier_must_be_open_to_everyone() -> None:
    with pytest.raises(InvalidArgument, match="entry tier"):
        validate_program(program(Tier("silver", "Silver", 10, Decimal(1))))


def test_thresholds_must_ascend() -> None:
    tiers = (
        Tier("a", "A", 0, Decimal(1)),
        Tier("b", "B", 100, Decimal(1)),
        Tier("c", "C", 100, Decimal(1)),
    )
    with pytest.raises(InvalidArgument, match=r"tiers\[2\]\.threshold"):
        validate_program(program(*tiers))


def test_tier_codes_are_unique() -> None:
    with pytest.raises(InvalidArgument, match="twice"):
        validate_program(program(Tier("a", "A", 0, Decimal(1)), Tier("a", "A2", 5, Decimal(1))))


def test_a_multiplier_is_a_decimal_never_a_float() -> None:
    assert parse_multiplier("1.25", "m") == Decimal("1.25")
    with pytest.raises(InvalidArgument):
        parse_multiplier("lots", "m")


def test_a_birthday_in_the_future_is_refused() -> None:
    with pytest.raises(InvalidArgument, match=r"profile\.birthday"):
        parse_profile(
            name="Li",
            birthday="2030-01-01",
            email="",
            gender="",
            preferred_store_id="",
            attributes={},
            today=TODAY,
        )


def test_a_profile_email_is_normalised() -> None:
    profile = parse_profile(
        name=" Li Lei ",
        birthday="1990-05-01",
        email="LI@Example.com",
        gender="",
        preferred_store_id="S001",
        attributes={"size": "M"},
        today=TODAY,
        schema={"size": AttributeType.STRING},
    )
    assert (profile.name, profile.email, profile.birthday) == (
        "Li Lei",
        "li@example.com",
        date(1990, 5, 1),
    )


def test_an_unknown_consent_purpose_is_refused() -> None:
    with pytest.raises(InvalidArgument, match=r"consents\.telepathy"):
        parse_consents({"telepathy": True}, channel="pos", source="enrolment", at=datetime.now(UTC))
