"""Every identity linked to a member records the channel, store and key that asserted it
(issue 15, item 5): on enrolment, on a find-or-create that links more, and on a link."""

from __future__ import annotations

import pytest

from libs.clock import FakeClock
from services.member.domain.actors import Actor, ActorKind, Provenance
from services.member.domain.identities import Identity, IdentityType
from services.member.handlers.enrolment import EnrolMember, enrol_member
from services.member.handlers.identities import IdentityChange, link_identity, unlink_identity
from services.member.handlers.merge import MergeMembers, merge_members
from services.member.tests.fakes import FakeUnitOfWork
from services.member.tests.unit.support import APP, OPERATOR, TENANT, enrolled, tenant_uow

TILL_S002 = Actor(ActorKind.OPERATOR, "operator", "key_manager")
UNIONID = Identity(IdentityType.WECHAT_UNIONID, "oU_takeover")


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return tenant_uow()


def at_the_till(*identities: tuple[str, str], store_id: str, actor: Actor) -> EnrolMember:
    return EnrolMember(TENANT, actor.channel, store_id, list(identities), actor=actor)


async def test_an_enrolment_records_who_asserted_each_identity_with_the_store_it_names(
    uow: FakeUnitOfWork,
) -> None:
    clock = FakeClock()
    pos = Actor(ActorKind.CHANNEL, "pos", "key_pos")

    enrolment = await enrol_member(
        at_the_till(("phone", "13800000001"), store_id="S001", actor=pos), uow, clock
    )

    [phone] = enrolment.member.identities
    assert enrolment.member.provenance[phone] == Provenance(pos.at_store("S001"), clock())


async def test_identities_linked_by_a_find_or_create_are_traced_to_the_caller_who_sent_them(
    uow: FakeUnitOfWork,
) -> None:
    member_id = await enrolled(uow, ("phone", "13800000001"))
    clock = FakeClock()

    found = await enrol_member(
        at_the_till(
            ("phone", "13800000001"),
            ("wechat_unionid", UNIONID.value),
            store_id="S002",
            actor=TILL_S002,
        ),
        uow,
        clock,
    )

    assert not found.created
    assert found.member.member_id == member_id
    asserted = found.member.provenance[UNIONID]
    assert (asserted.actor.channel, asserted.actor.store_id, asserted.actor.key_id) == (
        "operator",
        "S002",
        "key_manager",
    )
    [audit] = [e for e in uow.state.audit if e.action == "identity.linked"]
    assert audit.actor.store_id == "S002"


async def test_a_linked_identity_is_traced_and_unlinking_it_drops_the_trace(
    uow: FakeUnitOfWork,
) -> None:
    member_id = await enrolled(uow, ("phone", "13800000001"))
    change = IdentityChange(TENANT, member_id, "wechat_unionid", UNIONID.value, APP)

    linked = await link_identity(change, uow)
    assert linked.member.provenance[UNIONID].actor == APP
    unlinked = await unlink_identity(
        IdentityChange(TENANT, member_id, "wechat_unionid", UNIONID.value, OPERATOR), uow
    )

    assert UNIONID not in unlinked.member.provenance
    assert UNIONID not in unlinked.member.identities


async def test_an_identity_linked_before_provenance_was_kept_stays_valid_with_none(
    uow: FakeUnitOfWork,
) -> None:
    member_id = await enrolled(uow, ("phone", "13800000001"))
    uow.state.members[(TENANT, member_id)].provenance.clear()

    linked = await link_identity(
        IdentityChange(TENANT, member_id, "wechat_unionid", UNIONID.value, APP), uow
    )

    [phone, _] = linked.member.identities
    assert phone not in linked.member.provenance
    assert UNIONID in linked.member.provenance


async def test_a_merge_moves_each_identity_with_who_asserted_it(uow: FakeUnitOfWork) -> None:
    survivor_id = await enrolled(uow, ("phone", "13800000001"))
    merged_id = await enrolled(uow, ("phone", "13900000002"))
    await link_identity(
        IdentityChange(TENANT, merged_id, "wechat_unionid", UNIONID.value, APP), uow
    )

    merged = await merge_members(MergeMembers(TENANT, survivor_id, merged_id, OPERATOR), uow)

    assert merged.member.provenance[UNIONID].actor == APP
