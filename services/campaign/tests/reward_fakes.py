"""In-memory stand-ins for what rewarding a member needs: holds, the points service, the
coupon issuer and the member service's consents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from services.campaign.campaigns.domain.audience import MemberAudience
from services.campaign.campaigns.domain.grants import GrantedPoints, PointsGrant
from services.campaign.campaigns.domain.reservations import Hold
from services.campaign.campaigns.domain.rules import Campaign
from services.campaign.campaigns.handlers.rewards import RewardGranter
from services.campaign.coupons.domain.issues import CouponIssue, IssuedCoupon

AT = datetime(2026, 11, 25, 2, 15, tzinfo=UTC)


@dataclass
class FakeHolds:
    """Budget and per-member limits as the Mongo adapter keeps them, in a dict."""

    left: int | None = None
    per_member: int | None = None
    holds: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    async def reserve(
        self,
        tenant_id: str,
        order_id: str,
        member_id: str,
        campaign: Campaign,
        *,
        points: int,
        now: datetime,
        day: str = "",
    ) -> Hold:
        hold_id = f"{tenant_id}:{order_id}:{campaign.campaign_id}"
        if hold_id in self.holds and self.holds[hold_id][2] != "released":
            _, held, state = self.holds[hold_id]
            return Hold(hold_id, held, "", replayed=True, committed=state == "committed")
        if self.per_member is not None and self.counts.get(member_id, 0) >= self.per_member:
            return Hold(hold_id, 0, "member_limit_reached")
        taken = points if self.left is None else min(points, self.left)
        if points and taken <= 0:
            return Hold(hold_id, 0, "budget_exhausted")
        if self.left is not None:
            self.left -= taken
        self.counts[member_id] = self.counts.get(member_id, 0) + 1
        self.holds[hold_id] = (member_id, taken, "reserved")
        return Hold(hold_id, taken, "")

    async def settle(self, tenant_id: str, hold_id: str, commit: bool) -> bool:
        member_id, points, state = self.holds[hold_id]
        if state != "reserved":
            return False
        self.holds[hold_id] = (member_id, points, "committed" if commit else "released")
        if not commit:
            self.left = None if self.left is None else self.left + points
            self.counts[member_id] -= 1
        return True

    async def holds_of_order(self, tenant_id: str, order_id: str) -> list[str]:
        prefix = f"{tenant_id}:{order_id}:"
        return [
            h
            for h, (_, _, state) in self.holds.items()
            if h.startswith(prefix) and state == "reserved"
        ]

    def states(self) -> list[str]:
        return [state for _, _, state in self.holds.values()]


@dataclass
class FakePoints:
    """Credits each grant key once, like the points service's GrantPoints."""

    fail_next: int = 0
    paid: dict[str, PointsGrant] = field(default_factory=dict)

    async def grant(self, grant: PointsGrant) -> GrantedPoints:
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionError("points service away")
        replayed = grant.grant_key in self.paid
        self.paid.setdefault(grant.grant_key, grant)
        return GrantedPoints(self.paid[grant.grant_key].points, replayed)

    def total(self, member_id: str) -> int:
        return sum(g.points for g in self.paid.values() if g.member_id == member_id)


@dataclass
class FakeCoupons:
    issued: dict[str, CouponIssue] = field(default_factory=dict)

    async def issue(self, issue: CouponIssue) -> IssuedCoupon:
        replayed = issue.issue_key in self.issued
        self.issued.setdefault(issue.issue_key, issue)
        return IssuedCoupon(f"cpn-{issue.issue_key}", "CODE", replayed)


@dataclass
class FakeAudience:
    consenting: set[str] = field(default_factory=set)
    # segment id -> member ids
    segments: dict[str, set[str]] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    async def member_audience(
        self, tenant_id: str, member_id: str, segment_ids: frozenset[str], consent: bool
    ) -> MemberAudience:
        self.asked.append(member_id)
        held = frozenset(s for s in segment_ids if member_id in self.segments.get(s, set()))
        return MemberAudience(held, consent and member_id in self.consenting)


@dataclass
class RewardWorld:
    holds: FakeHolds = field(default_factory=FakeHolds)
    points: FakePoints = field(default_factory=FakePoints)
    coupons: FakeCoupons = field(default_factory=FakeCoupons)
    audience: FakeAudience = field(default_factory=FakeAudience)

    def granter(self) -> RewardGranter:
        return RewardGranter(self.holds, self.points, self.coupons, self.audience, lambda: AT)
