from datetime import UTC, datetime, timedelta

import pytest

from services.member.adapters.crypto import MasterKey, UnreadableData, Vault, member_aad
from services.member.adapters.member_codes import HmacMemberCodes
from services.member.domain.ports import MemberCode

MASTER = MasterKey.generate()
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def test_sealed_data_opens_only_under_its_key_and_for_its_member() -> None:
    vault = Vault(MASTER)
    key = vault.new_data_key()
    sealed = vault.seal(key, b"Li Lei", member_aad("demo", "m1"))
    assert b"Li Lei" not in sealed
    assert vault.open(key, sealed, member_aad("demo", "m1")) == b"Li Lei"
    with pytest.raises(UnreadableData):
        vault.open(key, sealed, member_aad("demo", "m2"))
    with pytest.raises(UnreadableData):
        vault.open(vault.new_data_key(), sealed, member_aad("demo", "m1"))


def test_a_wrapped_data_key_unwraps_only_with_the_same_master_key() -> None:
    key = Vault(MASTER).new_data_key()
    wrapped = Vault(MASTER).wrap(key, member_aad("demo", "m1"))
    assert Vault(MASTER).unwrap(wrapped, member_aad("demo", "m1")) == key
    with pytest.raises(UnreadableData):
        Vault(MasterKey.generate()).unwrap(wrapped, member_aad("demo", "m1"))


def test_the_identity_index_is_stable_per_tenant_and_differs_across_tenants() -> None:
    vault = Vault(MASTER)
    demo = vault.index("demo", "phone", "+8613800000001")
    assert demo == Vault(MASTER).index("demo", "phone", "+8613800000001")
    assert demo != vault.index("sandbox", "phone", "+8613800000001")
    assert demo != vault.index("demo", "card", "+8613800000001")
    assert "13800000001" not in demo


@pytest.mark.parametrize("text", ["", "AAAA", "not base64!", "AAAAAAAAAAAAAAAAAAAAAA=="])
def test_a_master_key_that_is_not_32_bytes_of_base64_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="master key"):
        MasterKey.from_base64(text)


def test_a_master_key_survives_its_base64_form_and_never_shows_itself() -> None:
    again = MasterKey.from_base64(MASTER.to_base64())
    assert again.key_id == MASTER.key_id
    assert MASTER.to_base64() not in repr(MASTER)


def test_a_member_code_reads_back_for_its_tenant_only() -> None:
    codes = HmacMemberCodes(MASTER)
    code = MemberCode("demo", "m01abc", NOW + timedelta(seconds=60))
    text = codes.issue(code)
    assert codes.read("demo", text) == MemberCode("demo", "m01abc", code.expires_at)
    assert codes.read("sandbox", text) is None


def test_a_member_code_cannot_be_forged_or_made_with_another_master_key() -> None:
    codes = HmacMemberCodes(MASTER)
    text = codes.issue(MemberCode("demo", "m01abc", NOW))
    payload, signature = text.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert codes.read("demo", f"{payload}.{flipped}") is None
    other = HmacMemberCodes(MasterKey.generate()).issue(MemberCode("demo", "m01abc", NOW))
    assert codes.read("demo", other) is None
    for junk in ["", ".", "abc", "a.b.c", "%%%.%%%", text + "x" * 300]:
        assert codes.read("demo", junk) is None


def test_a_member_code_is_url_safe_and_short() -> None:
    text = HmacMemberCodes(MASTER).issue(MemberCode("demo", "m01kdwd8f3r9sn7q0v4c2x1b5a6", NOW))
    assert len(text) < 100
    assert all(c.isalnum() or c in "-_." for c in text)
