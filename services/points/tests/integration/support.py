"""Requests and reads shared by the points service's integration tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import uuid4

from grpc import aio

from libs.grpc.errors import error_code_of
from libs.timestamps import timestamp
from loyalty.points.v1 import points_pb2 as pb

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub

# The campaign service's database for this session, and its collection (named here, since
# services do not import each other).
CAMPAIGN_DB = f"campaign_{uuid4().hex[:8]}"
CAMPAIGNS = "campaigns"
# One purchase time for the whole run, so that an order sent again has the same body.
ORDERED_AT = datetime.now(UTC) - timedelta(minutes=1)
SHOE = pb.OrderLine(sku="SHOE-1", category="shoes", quantity=1, unit_price="299.00")
SOCK = pb.OrderLine(sku="SOCK-2", category="accessories", quantity=1, unit_price="99.00")


def an_order(
    tenant: str,
    order_id: str,
    member_id: str = "m1",
    *,
    total: str = "398.00",
    lines: tuple[pb.OrderLine, ...] = (SHOE, SOCK),
    multiplier: str = "1",
) -> pb.AccrueOrderRequest:
    occurred = timestamp(ORDERED_AT)
    return pb.AccrueOrderRequest(
        tenant_id=tenant,
        member=pb.MemberContext(
            member_id=member_id, tier_code="gold", tier_name="Gold", tier_multiplier=multiplier
        ),
        order_id=order_id,
        channel="pos",
        store_id="S001",
        occurred_at=occurred,
        currency="CNY",
        total=total,
        lines=list(lines),
    )


def a_hold(
    tenant: str, points: int, member_id: str = "m1", *, hold_seconds: int = 0, capture: bool = False
) -> pb.HoldPointsRequest:
    return pb.HoldPointsRequest(
        tenant_id=tenant,
        member_id=member_id,
        points=points,
        channel="app",
        hold_seconds=hold_seconds,
        capture=capture,
    )


def a_cancel(tenant: str, redemption_id: str) -> pb.CancelRedemptionRequest:
    """A cancel from the channel `a_hold` holds for, the one that may reverse a capture."""
    return pb.CancelRedemptionRequest(
        tenant_id=tenant, redemption_id=redemption_id, actor=pb.Actor(channel="app")
    )


async def ledger_of(
    points: PointsServiceAsyncStub, tenant: str, member_id: str = "m1"
) -> list[pb.LedgerEntry]:
    """Every entry, newest first, read page by page."""
    entries: list[pb.LedgerEntry] = []
    cursor = ""
    while True:
        page = await points.GetLedger(
            pb.GetLedgerRequest(tenant_id=tenant, member_id=member_id, limit=7, cursor=cursor)
        )
        entries.extend(page.entries)
        cursor = page.next_cursor
        if not cursor:
            return entries


async def balance_of(
    points: PointsServiceAsyncStub, tenant: str, member_id: str = "m1"
) -> pb.Balance:
    answer = await points.GetBalance(pb.GetBalanceRequest(tenant_id=tenant, member_id=member_id))
    return answer.balance


def refusal(error: BaseException) -> str | None:
    """The machine code of a refused call; None for anything else."""
    return error_code_of(error) if isinstance(error, aio.AioRpcError) else None
