"""Issuing a purchase campaign's coupons for committed holds, with in-memory stand-ins."""

from __future__ import annotations

from collections.abc import Sequence

from libs.errors import FailedPrecondition
from services.campaign.campaigns.domain.committed_holds import CommittedHold
from services.campaign.campaigns.handlers.order_coupons import OrderCoupons
from services.campaign.coupons.domain.issues import CouponIssue, IssuedCoupon


class FakeHolds:
    def __init__(self, *holds: CommittedHold) -> None:
        self.holds = {h.hold_id: h for h in holds}
        self.marked: dict[str, str] = {}

    async def unchecked(
        self, *, tenant_id: str = "", hold_ids: Sequence[str] = (), limit: int = 200
    ) -> list[CommittedHold]:
        wanted = set(hold_ids) or set(self.holds)
        return [h for i, h in self.holds.items() if i in wanted and i not in self.marked]

    async def checked(self, hold_id: str, coupon_id: str) -> None:
        self.marked[hold_id] = coupon_id


class FakeIssuer:
    def __init__(self, refuse: str = "") -> None:
        self.refuse = refuse
        self.issued: list[str] = []

    async def issue(self, issue: CouponIssue) -> IssuedCoupon:
        if issue.template_id == self.refuse:
            raise FailedPrecondition("paused", code="coupon_template_paused")
        self.issued.append(issue.issue_key)
        return IssuedCoupon(f"cpn-{issue.issue_key}", "CODE", replayed=False)


def coupon_hold(hold_id: str, template_id: str) -> CommittedHold:
    return CommittedHold(hold_id, CouponIssue("t1", "m1", template_id, f"c:1:{hold_id}", "c", 1))


async def test_each_committed_coupon_hold_is_issued_and_marked_once() -> None:
    holds = FakeHolds(coupon_hold("h1", "tpl"), CommittedHold("h2", None))
    issuer = FakeIssuer()
    coupons = OrderCoupons(holds, issuer)

    assert await coupons.issue_for("t1", ["h1", "h2"]) == 1
    assert await coupons.sweep() == 0
    assert issuer.issued == ["c:1:h1"]
    assert holds.marked == {"h1": "cpn-c:1:h1", "h2": ""}


async def test_a_paused_template_is_marked_and_does_not_stop_the_others() -> None:
    holds = FakeHolds(coupon_hold("h1", "paused"), coupon_hold("h2", "tpl"))
    issuer = FakeIssuer(refuse="paused")

    assert await OrderCoupons(holds, issuer).sweep() == 2
    assert holds.marked == {"h1": "", "h2": "cpn-c:1:h2"}
