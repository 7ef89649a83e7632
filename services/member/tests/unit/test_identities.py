import pytest

from libs.errors import InvalidArgument
from services.member.domain.identities import IdentityType, parse_identities, parse_identity


def test_a_phone_without_country_code_is_read_in_the_tenant_region() -> None:
    identity = parse_identity("phone", "138 0000 0001", default_region="CN")
    assert identity.type is IdentityType.PHONE
    assert identity.value == "+8613800000001"


def test_differently_written_phones_of_one_person_normalise_to_one_identity() -> None:
    written = ["+86 138-0000-0001", "+8613800000001", "13800000001"]
    values = {parse_identity("phone", w, default_region="CN").value for w in written}
    assert values == {"+8613800000001"}


def test_a_phone_without_country_code_is_refused_when_the_tenant_has_no_region() -> None:
    with pytest.raises(InvalidArgument, match=r"identity\.value"):
        parse_identity("phone", "13800000001", default_region=None)


def test_an_invalid_phone_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidArgument, match=r"identities\[1\]\.value"):
        parse_identities([("email", "a@b.cn"), ("phone", "+86 12")], default_region="CN")


def test_emails_are_trimmed_and_lower_cased() -> None:
    assert parse_identity("email", "  Li.Lei@Example.COM ", default_region=None).value == (
        "li.lei@example.com"
    )


@pytest.mark.parametrize("value", ["not-an-email", "a@b", "a b@c.cn"])
def test_malformed_emails_are_refused(value: str) -> None:
    with pytest.raises(InvalidArgument):
        parse_identity("email", value, default_region=None)


def test_an_unknown_identity_type_is_refused_listing_the_allowed_ones() -> None:
    with pytest.raises(InvalidArgument, match="wechat_unionid"):
        parse_identity("fax", "123", default_region=None)


def test_opaque_identities_keep_their_case_but_refuse_spaces() -> None:
    assert parse_identity("wechat_unionid", "oU_AbC", default_region=None).value == "oU_AbC"
    with pytest.raises(InvalidArgument):
        parse_identity("app_user", "has space", default_region=None)


def test_the_same_identity_given_twice_counts_once() -> None:
    identities = parse_identities(
        [("phone", "+8613800000001"), ("phone", "13800000001")], default_region="CN"
    )
    assert len(identities) == 1


def test_enrolment_needs_at_least_one_identity() -> None:
    with pytest.raises(InvalidArgument, match="at least one"):
        parse_identities([], default_region="CN")
