import pytest

from libs.clock import FakeClock
from libs.errors import FailedPrecondition
from services.member.domain.errors import MemberCodeInvalid, MemberNotFound
from services.member.handlers.privacy import erase_member
from services.member.handlers.reads import issue_member_code, lookup_member
from services.member.tests.fakes import FakeUnitOfWork
from services.member.tests.unit.support import CODES, OPERATOR, TENANT, enrolled, tenant_uow


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return tenant_uow()


async def test_a_code_resolves_to_its_member_for_sixty_seconds_then_no_more(
    uow: FakeUnitOfWork,
) -> None:
    clock = FakeClock()
    member_id = await enrolled(uow)
    text, code = await issue_member_code(TENANT, member_id, uow, CODES, clock)

    clock.advance(seconds=59)
    found = await lookup_member(TENANT, "code", text, uow, codes=CODES, clock=clock)
    clock.advance(seconds=1)

    assert found.member.member_id == member_id
    assert (code.expires_at - clock.now).total_seconds() <= 0
    with pytest.raises(MemberCodeInvalid) as caught:
        await lookup_member(TENANT, "code", text, uow, codes=CODES, clock=clock)
    assert caught.value.code == "member_not_found"


async def test_a_code_of_one_tenant_does_not_resolve_in_another(uow: FakeUnitOfWork) -> None:
    clock = FakeClock()
    member_id = await enrolled(uow)
    text, _ = await issue_member_code(TENANT, member_id, uow, CODES, clock)
    with pytest.raises(MemberCodeInvalid):
        await lookup_member("sandbox", "code", text, uow, codes=CODES, clock=clock)


async def test_a_forged_code_does_not_resolve(uow: FakeUnitOfWork) -> None:
    clock = FakeClock()
    member_id = await enrolled(uow)
    text, _ = await issue_member_code(TENANT, member_id, uow, CODES, clock)
    payload, signature = text.split(".")
    forged = f"{payload}.{signature[::-1]}"
    with pytest.raises(MemberCodeInvalid):
        await lookup_member(TENANT, "code", forged, uow, codes=CODES, clock=clock)


async def test_an_erased_member_gets_no_code_and_their_live_code_stops_working(
    uow: FakeUnitOfWork,
) -> None:
    clock = FakeClock()
    member_id = await enrolled(uow)
    text, _ = await issue_member_code(TENANT, member_id, uow, CODES, clock)
    await erase_member(TENANT, member_id, OPERATOR, uow)
    with pytest.raises(MemberCodeInvalid):
        await lookup_member(TENANT, "code", text, uow, codes=CODES, clock=clock)
    with pytest.raises(FailedPrecondition):
        await issue_member_code(TENANT, member_id, uow, CODES, clock)


async def test_no_code_for_a_member_of_another_tenant(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow)
    with pytest.raises(MemberNotFound):
        await issue_member_code("sandbox", member_id, uow, CODES)


async def test_two_codes_issued_in_the_same_second_differ_and_both_resolve(
    uow: FakeUnitOfWork,
) -> None:
    clock = FakeClock()
    member_id = await enrolled(uow)

    first, _ = await issue_member_code(TENANT, member_id, uow, CODES, clock)
    second, _ = await issue_member_code(TENANT, member_id, uow, CODES, clock)

    assert first != second
    for text in (first, second):
        found = await lookup_member(TENANT, "code", text, uow, codes=CODES, clock=clock)
        assert found.member.member_id == member_id
