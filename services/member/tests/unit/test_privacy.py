from datetime import timedelta

import pytest

from libs.clock import utc_now
from services.member.domain.errors import MemberNotFound
from services.member.domain.members import MemberErased, MemberStatus
from services.member.handlers.enrolment import EnrolMember, enrol_member
from services.member.handlers.privacy import erase_member, export_member, list_audit
from services.member.handlers.reads import get_member, lookup_member
from services.member.handlers.tiers import SetManualTier, set_member_tier
from services.member.tests.fakes import FakeUnitOfWork
from services.member.tests.unit.support import (
    CODES,
    OPERATOR,
    TENANT,
    enrolled,
    tenant_uow,
)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return tenant_uow()


async def test_erasure_forgets_the_person_frees_identities_and_keeps_the_tier(
    uow: FakeUnitOfWork,
) -> None:
    member_id = await enrolled(uow, ("phone", "13800000001"), name="Li Lei", birthday="1990-05-01")

    view = await erase_member(TENANT, member_id, OPERATOR, uow)

    member = view.member
    assert member.status is MemberStatus.ERASED
    assert (member.identities, member.profile.name, member.profile.birthday) == ([], "", None)
    assert member.consents == {}
    assert member.tier is not None
    assert uow.state.identities == {}
    with pytest.raises(MemberNotFound):
        await lookup_member(TENANT, "phone", "13800000001", uow, codes=CODES)
    assert isinstance(uow.published[-1], MemberErased)


async def test_an_erased_member_can_be_read_but_is_erased_once(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow)
    await erase_member(TENANT, member_id, OPERATOR, uow)
    published = len(uow.published)

    again = await erase_member(TENANT, member_id, OPERATOR, uow)

    assert again.member.status is MemberStatus.ERASED
    assert len(uow.published) == published
    assert (await get_member(TENANT, member_id, uow)).member.status is MemberStatus.ERASED


async def test_the_phone_of_an_erased_member_enrols_a_new_member(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow, ("phone", "13800000001"))
    await erase_member(TENANT, member_id, OPERATOR, uow)
    again = await enrol_member(EnrolMember(TENANT, "app", "", [("phone", "13800000001")]), uow)
    assert again.created
    assert again.member.member_id != member_id


async def test_erasure_drops_operators_notes_from_the_tier_history(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow)
    until = utc_now() + timedelta(days=30)
    await set_member_tier(
        SetManualTier(TENANT, member_id, "gold", "Li Lei complained", until, OPERATOR), uow
    )
    await erase_member(TENANT, member_id, OPERATOR, uow)
    assert [t.note for t in uow.state.tiers] == ["", ""]


async def test_a_member_of_another_tenant_cannot_be_erased(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow)
    with pytest.raises(MemberNotFound):
        await erase_member("sandbox", member_id, OPERATOR, uow)
    assert (await get_member(TENANT, member_id, uow)).member.status is MemberStatus.ACTIVE


async def test_an_export_carries_the_member_and_their_histories_and_is_audited(
    uow: FakeUnitOfWork,
) -> None:
    member_id = await enrolled(uow, ("phone", "13800000001"), name="Li Lei")

    export = await export_member(TENANT, member_id, OPERATOR, uow)

    assert export.view.member.profile.name == "Li Lei"
    assert [c.purpose for c in export.history.consents] == ["marketing"]
    assert [(t.from_code, t.to_code) for t in export.history.tiers] == [("", "member")]
    assert [a.action for a in export.history.audit] == ["member.enrolled", "member.exported"]


async def test_the_audit_trail_names_fields_never_values(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(
        uow, ("phone", "13800000001"), ("email", "li@example.com"), name="Li Lei"
    )
    page = await list_audit(TENANT, member_id, "", 50, uow)
    [entry] = page.entries
    assert entry.fields == (
        "identities.email",
        "identities.phone",
        "profile.name",
        "consents.marketing",
    )
    assert entry.actor.channel == "pos"
    text = repr(uow.state.audit)
    assert "13800000001" not in text
    assert "Li Lei" not in text
