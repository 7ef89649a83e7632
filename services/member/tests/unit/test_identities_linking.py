import pytest

from libs.errors import FailedPrecondition, InvalidArgument
from services.member.domain.errors import IdentityNotHeld, IdentityTaken, MemberNotFound
from services.member.handlers.identities import IdentityChange, link_identity, unlink_identity
from services.member.handlers.privacy import erase_member, list_audit
from services.member.handlers.reads import lookup_member
from services.member.tests.fakes import FakeUnitOfWork
from services.member.tests.unit.support import APP, CODES, OPERATOR, TENANT, enrolled, tenant_uow


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return tenant_uow()


def change(member_id: str, type_: str, value: str, tenant: str = TENANT) -> IdentityChange:
    return IdentityChange(tenant, member_id, type_, value, APP)


async def test_a_second_phone_is_linked_and_finds_the_member(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow, ("phone", "13800000001"))

    linked = await link_identity(change(member_id, "phone", "+86 139 0000 0002"), uow)

    assert linked.linked
    assert [i.value for i in linked.member.identities] == ["+8613800000001", "+8613900000002"]
    for phone in ("13800000001", "13900000002"):
        found = await lookup_member(TENANT, "phone", phone, uow, codes=CODES)
        assert found.member.member_id == member_id


async def test_linking_an_identity_the_member_holds_changes_nothing(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow, ("phone", "13800000001"))
    audited = len(uow.state.audit)

    again = await link_identity(change(member_id, "phone", "+8613800000001"), uow)

    assert not again.linked
    assert len(again.member.identities) == 1
    assert len(uow.state.audit) == audited


async def test_an_identity_another_member_holds_is_taken_and_stays_with_them(
    uow: FakeUnitOfWork,
) -> None:
    alice = await enrolled(uow, ("phone", "13800000001"))
    bob = await enrolled(uow, ("email", "bob@example.com"))

    with pytest.raises(IdentityTaken):
        await link_identity(change(alice, "email", "Bob@Example.com"), uow)

    holder = await lookup_member(TENANT, "email", "bob@example.com", uow, codes=CODES)
    assert holder.member.member_id == bob


async def test_unlinking_frees_the_identity_and_is_audited_by_type_only(
    uow: FakeUnitOfWork,
) -> None:
    member_id = await enrolled(uow, ("phone", "13800000001"), ("card", "CARD-0001"))

    view = await unlink_identity(change(member_id, "card", "CARD-0001"), uow)

    assert [i.type.value for i in view.member.identities] == ["phone"]
    with pytest.raises(MemberNotFound):
        await lookup_member(TENANT, "card", "CARD-0001", uow, codes=CODES)
    other = await enrolled(uow, ("card", "CARD-0001"))
    assert other != member_id
    latest = (await list_audit(TENANT, member_id, "", 1, uow)).entries[0]
    assert (latest.action, latest.fields, latest.actor) == (
        "identity.unlinked",
        ("identities.card",),
        APP,
    )


async def test_the_last_identity_cannot_be_unlinked(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow, ("phone", "13800000001"))
    with pytest.raises(FailedPrecondition) as caught:
        await unlink_identity(change(member_id, "phone", "13800000001"), uow)
    assert caught.value.code == "last_identity"


async def test_unlinking_an_identity_the_member_does_not_hold_is_not_found(
    uow: FakeUnitOfWork,
) -> None:
    member_id = await enrolled(uow, ("phone", "13800000001"), ("card", "CARD-0001"))
    await enrolled(uow, ("email", "bob@example.com"))
    with pytest.raises(IdentityNotHeld):
        await unlink_identity(change(member_id, "email", "bob@example.com"), uow)
    found = await lookup_member(TENANT, "email", "bob@example.com", uow, codes=CODES)
    assert found.member.member_id != member_id


async def test_a_malformed_identity_is_invalid_and_links_nothing(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow, ("phone", "13800000001"))
    with pytest.raises(InvalidArgument, match=r"identity\.value"):
        await link_identity(change(member_id, "email", "not-an-email"), uow)
    assert len(uow.state.identities) == 1


async def test_an_erased_member_links_nothing(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow)
    await erase_member(TENANT, member_id, OPERATOR, uow)
    with pytest.raises(FailedPrecondition) as caught:
        await link_identity(change(member_id, "card", "CARD-0001"), uow)
    assert caught.value.code == "member_not_active"


async def test_a_member_of_another_tenant_cannot_be_linked(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow)
    with pytest.raises(MemberNotFound):
        await link_identity(change(member_id, "card", "CARD-0001", tenant="sandbox"), uow)
