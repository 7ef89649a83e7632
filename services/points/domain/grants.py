"""Grants: a reward credited outside a purchase's own accrual (a campaign's welcome,
birthday or tier bonus, or a purchase bonus settled after the order), once per grant key.

A grant is a `bonus` entry and a new lot with the tenant's expiry, and it counts in
`lifetime_earned`. A grant for an order belongs to it: the order's record earns it too
(its breakdown gains the campaign's line, its lots the new lot), so a return of the order
takes it back in proportion, from that lot first. While the order's points are still
pending, the grant joins them and waits with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from libs.errors import FailedPrecondition, InvalidArgument
from services.points.domain.accrual import EarningLine, Source
from services.points.domain.adjustments import parse_reason
from services.points.domain.balances import Balance
from services.points.domain.fingerprints import fingerprint
from services.points.domain.ledger import Entry, EntryType, Posting, ReasonParams
from services.points.domain.lots import Lot
from services.points.domain.parsing import parse_id
from services.points.domain.records import OrderRecord
from services.points.domain.wallet import Wallet

MAX_GRANT = 10**9
_CODE = re.compile(r"^[a-z_]{1,64}$")
MAX_PARAMS = 50
_KEY = re.compile(r"^[\x21-\x7e]{1,256}$")  # printable ASCII, no spaces


@dataclass(frozen=True)
class Grant:
    grant_key: str
    member_id: str
    points: int
    campaign_id: str
    campaign_version: int
    reason: str
    order_id: str = ""
    reason_code: str = ""
    reason_params: ReasonParams = ()

    def fingerprint(self) -> str:
        """What a retry under the same key must repeat (the reason may be reworded)."""
        return fingerprint(
            {
                "member_id": self.member_id,
                "points": self.points,
                "order_id": self.order_id,
                "campaign_id": self.campaign_id,
                "campaign_version": self.campaign_version,
            }
        )

    def line(self) -> EarningLine:
        return EarningLine(
            Source.CAMPAIGN,
            self.points,
            self.reason,
            self.campaign_id,
            self.campaign_version,
            self.reason_code,
            self.reason_params,
        )

    def posting(self) -> Posting:
        return Posting(
            EntryType.BONUS,
            self.points,
            self.reason,
            order_id=self.order_id,
            campaign_id=self.campaign_id,
            campaign_version=self.campaign_version,
            reason_code=self.reason_code,
            reason_params=self.reason_params,
        )


@dataclass(frozen=True)
class GrantRecord:
    """A grant credited, with its first answer for replays."""

    tenant_id: str
    grant_key: str
    member_id: str
    fingerprint: str
    points: int
    campaign_id: str
    campaign_version: int
    reason: str
    order_id: str
    # Empty while the grant waits with its order's pending points.
    entry_id: str
    balance: Balance
    created_at: datetime


class OrderOfAnotherMember(FailedPrecondition):
    code = "order_member_mismatch"

    def __init__(self, order_id: str) -> None:
        super().__init__(f"order {order_id} is not this member's")


def _reason_code(code: str, params: ReasonParams) -> tuple[str, ReasonParams]:
    if code and not _CODE.match(code):
        raise InvalidArgument("reason_code: lower-case letters and underscores, at most 64")
    if len(params) > MAX_PARAMS or any(len(k) > 64 or len(v) > 2000 for k, v in params):
        raise InvalidArgument(f"reason_params: at most {MAX_PARAMS}, each short")
    if params and not code:
        raise InvalidArgument("reason_params: only with a reason_code")
    return code, params


def parse_grant(
    grant_key: str,
    member_id: str,
    points: int,
    *,
    campaign_id: str = "",
    campaign_version: int = 0,
    reason: str = "",
    order_id: str = "",
    reason_code: str = "",
    reason_params: ReasonParams = (),
) -> Grant:
    if not _KEY.match(grant_key):
        raise InvalidArgument("grant_key: 1 to 256 printable characters without spaces")
    if not 0 < points <= MAX_GRANT:
        raise InvalidArgument(f"points: a whole number above 0, at most {MAX_GRANT}")
    if campaign_version < 0:
        raise InvalidArgument("campaign_version: 0 or more")
    if campaign_id:
        parse_id(campaign_id, "campaign_id")
    default = f"campaign {campaign_id} (v{campaign_version})" if campaign_id else "reward"
    return Grant(
        grant_key,
        parse_id(member_id, "member_id"),
        points,
        campaign_id,
        campaign_version,
        parse_reason(reason or default, "reason"),
        parse_id(order_id, "order_id") if order_id else "",
        *_reason_code(reason_code, reason_params),
    )


def credit_grant(
    wallet: Wallet,
    grant: Grant,
    *,
    order: OrderRecord | None,
    lot_id: str,
    expires_at: datetime | None,
    at: datetime,
) -> Entry | None:
    """Credit the grant; its `bonus` entry, or None while it waits with its order's
    pending points (the entry is written when they are released)."""
    if order is not None and order.member_id != grant.member_id:
        raise OrderOfAnotherMember(order.order_id)
    pending = wallet.pending_lot(order.lot_ids) if order is not None else None
    if order is not None and pending is not None:
        pending.lot.earned += grant.points
        pending.lot.remaining += grant.points
        pending.postings.append(grant.posting())
        order.add_bonus(grant.line())
        return None
    wallet.lifetime_earned += grant.points
    wallet.add_lot(Lot(lot_id, grant.order_id, grant.points, grant.points, at, expires_at))
    if order is not None:
        order.add_bonus(grant.line(), lot_id)
    return wallet.post(grant.posting(), at)
