"""Holding a campaign's budget and a member's limit for one order's grant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.campaign.campaigns.domain.rules import Campaign


def hold_id(tenant_id: str, order_id: str, campaign_id: str) -> str:
    """One hold per order and campaign, so that a retried order holds once."""
    return f"{tenant_id}:{order_id}:{campaign_id}"


@dataclass(frozen=True)
class Hold:
    hold_id: str
    # What was held: at most what was asked, less when only that much budget was left.
    points: int
    # Why nothing was held ("budget_exhausted", "member_limit_reached"), else empty.
    refused: str
    replayed: bool = False
    # A replayed hold whose grant was already paid and committed.
    committed: bool = False


class Reservations(Protocol):
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
        """`day`: the local date the grant counts on in the campaign's daily results (the
        order's); the UTC date of `now` when empty."""
        ...

    async def settle(self, tenant_id: str, hold_id: str, commit: bool) -> bool: ...

    async def holds_of_order(self, tenant_id: str, order_id: str) -> list[str]:
        """The order's holds still reserved, whatever their campaign."""
        ...


class Leases(Protocol):
    """Budget held from a lease in memory rather than a hold per order (domain/leases.py)."""

    def covers(self, campaign: Campaign) -> bool: ...

    async def reserve(
        self, tenant_id: str, order_id: str, campaign: Campaign, *, points: int, now: datetime
    ) -> Hold: ...

    def confirmed(self, tenant_id: str, order_id: str) -> None:
        """The order's event counted what it was allotted as granted."""
        ...

    async def refund(self, tenant_id: str, order_id: str) -> int:
        """The order was credited without its bonus: what it was allotted comes back."""
        ...

    async def release(self, tenant_id: str, campaign_id: str) -> bool:
        """Give the campaign's lease back to the budget now (False: none was held)."""
        ...


@dataclass(frozen=True)
class LeaseGrant:
    """A points bonus an order was credited with from a lease, as its event names it."""

    campaign_id: str
    lease_id: str
    points: int
