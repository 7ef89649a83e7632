"""What a purchase, redemption or balance read needs of the member it is for, read without
the member's personal data (no data key, nothing unsealed): the member holding the wallet
now, its tier, and the facts campaigns condition on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from libs.errors import FailedPrecondition
from services.member.domain.members import Member, MemberStatus
from services.member.domain.tiers import TierState


@dataclass(frozen=True)
class WalletHolder:
    tenant_id: str
    member_id: str
    status: MemberStatus
    tier: TierState | None
    enrolled_at: datetime
    enrolled_store_id: str = ""
    merged_into: str = ""
    # 1-12; 0 when the member gave no birthday.
    birth_month: int = 0

    @classmethod
    def of(cls, member: Member) -> WalletHolder:
        return cls(
            tenant_id=member.tenant_id,
            member_id=member.member_id,
            status=member.status,
            tier=member.tier,
            enrolled_at=member.enrolled_at,
            enrolled_store_id=member.enrolled_store_id,
            merged_into=member.merged_into,
            birth_month=member.birth_month,
        )

    def survivor(self) -> str | None:
        """None for an active member; for a merged one, the member it was merged into; an
        erased member acts for nobody (`Member.survivor`'s rule)."""
        if self.status is MemberStatus.ACTIVE:
            return None
        if self.status is MemberStatus.MERGED and self.merged_into:
            return self.merged_into
        raise FailedPrecondition(
            f"member {self.member_id} is {self.status.value}", code="member_not_active"
        )


@dataclass(frozen=True)
class ResolvedMember:
    """The active member a request is for, with its tier's earning multiplier and its
    tier's name in other languages (by locale)."""

    holder: WalletHolder
    tier_multiplier: Decimal | None = None
    tier_names: tuple[tuple[str, str], ...] = ()


def birth_month_of(month_day: str | None) -> int:
    """The month of the stored "MM-DD" form; 0 without one."""
    if not month_day:
        return 0
    month = int(month_day[:2])
    return month if 1 <= month <= 12 else 0
