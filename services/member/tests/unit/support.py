"""What the member unit tests share: a tenant with a program, a clock, a code signer."""

from __future__ import annotations

from decimal import Decimal

from services.member.adapters.crypto import MasterKey
from services.member.adapters.member_codes import HmacMemberCodes
from services.member.domain.actors import Actor, ActorKind
from services.member.domain.attributes import AttributeType
from services.member.domain.tenants import TenantSettings
from services.member.domain.tiers import Tier, TierProgram
from services.member.handlers.enrolment import EnrolMember, enrol_member
from services.member.tests.fakes import FakeUnitOfWork

TENANT = "demo"
CODES = HmacMemberCodes(MasterKey.generate())
OPERATOR = Actor(ActorKind.OPERATOR, "operator", "key_op")
APP = Actor(ActorKind.CHANNEL, "app", "key_app")
PROGRAM = TierProgram(
    (
        Tier("member", "Member", 0, Decimal(1)),
        Tier("silver", "Silver", 1000, Decimal("1.25")),
        Tier("gold", "Gold", 5000, Decimal("1.5")),
    ),
    "points_earned",
    365,
    0,
)
SCHEMA = {
    "shoe_size": AttributeType.INT,
    "vip": AttributeType.BOOL,
    "anniversary": AttributeType.DATE,
    "nickname": AttributeType.STRING,
}


def tenant_uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    uow.state.settings[TENANT] = TenantSettings("CN", "Asia/Shanghai", dict(SCHEMA))
    uow.state.programs[TENANT] = PROGRAM
    return uow


async def enrolled(
    uow: FakeUnitOfWork, *identities: tuple[str, str], name: str = "", birthday: str = ""
) -> str:
    """A new member's id, enrolled at a POS with these identities and profile fields."""
    command = EnrolMember(
        tenant_id=TENANT,
        channel="pos",
        store_id="S001",
        identities=list(identities or [("phone", "13800000001")]),
        name=name,
        birthday=birthday,
        consents={"marketing": True},
    )
    return (await enrol_member(command, uow)).member.member_id
