"""Returns: what an order earned is taken back in proportion to what came back."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from libs import reasons
from libs.errors import InvalidArgument
from services.points.domain.accrual import TIMES
from services.points.domain.actors import UNKNOWN, Actor
from services.points.domain.balances import Balance
from services.points.domain.exchange import to_base
from services.points.domain.ledger import Entry, EntryType, Posting
from services.points.domain.parsing import parse_amount, parse_id, parse_quantity
from services.points.domain.pricing import PricedLine
from services.points.domain.records import OrderRecord
from services.points.domain.wallet import Wallet


@dataclass(frozen=True)
class ReturnRequest:
    return_id: str
    # (sku, quantity), or an amount: never both.
    lines: tuple[tuple[str, int], ...] = ()
    amount: Decimal | None = None

    def fingerprint(self, order_id: str) -> str:
        amount = format(self.amount.normalize(), "f") if self.amount is not None else None
        body = {"order_id": order_id, "lines": self.lines, "amount": amount}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class ReturnRecord:
    """A return seen, with its first answer for retries."""

    tenant_id: str
    return_id: str
    order_id: str
    member_id: str
    fingerprint: str
    points_reversed: int
    balance: Balance
    created_at: datetime
    # Points the return was worth that were already spent and, the tenant capping returns
    # at zero, not taken back; `points_reversed` is what came off the balance.
    shortfall: int = 0
    # Who returned it; unknown for returns kept before it was recorded.
    actor: Actor = UNKNOWN


def parse_return(return_id: str, lines: list[tuple[str, int]], amount: str) -> ReturnRequest:
    parse_id(return_id, "return_id")
    if lines and amount:
        raise InvalidArgument("amount: give either lines or an amount, not both")
    if amount:
        return ReturnRequest(return_id, amount=parse_amount(amount, "amount", positive=True))
    if not lines:
        raise InvalidArgument("lines: give the returned lines or an amount")
    checked = tuple(
        (parse_id(sku, f"lines[{i}].sku"), parse_quantity(quantity, f"lines[{i}].quantity"))
        for i, (sku, quantity) in enumerate(lines)
    )
    return ReturnRequest(return_id, lines=checked)


def _returned_share(order: OrderRecord) -> Fraction:
    """How much of the order has come back so far, from 0 to 1, weighting each SKU by the
    base points it earned (or by what it cost when it earned none). Exact fractions, so
    that parts which add up to the whole make exactly 1."""
    ordered: dict[str, int] = defaultdict(int)
    weight: dict[str, Fraction] = defaultdict(Fraction)
    by_points = any(line.base_points for line in order.lines)
    for line in order.lines:
        ordered[line.sku] += line.quantity
        weight[line.sku] += Fraction(line.base_points) if by_points else Fraction(line.amount)
    whole = sum(weight.values(), Fraction(0))
    back = order.returned_quantities
    share = Fraction(0)
    if whole:
        share += sum((weight[s] * n / ordered[s] for s, n in back.items()), Fraction(0)) / whole
    elif ordered:
        share += Fraction(sum(back.values()), sum(ordered.values()))
    if order.total > 0:
        share += Fraction(order.returned_amount) / Fraction(order.total)
    return min(Fraction(1), share)


def _take_back(order: OrderRecord, request: ReturnRequest) -> int:
    """Record what came back; the points that return takes back. Never more, across all
    returns, than the order earned."""
    ordered: dict[str, int] = defaultdict(int)
    for line in order.lines:
        ordered[line.sku] += line.quantity
    for i, (sku, _) in enumerate(request.lines):
        if sku not in ordered:
            raise InvalidArgument(f"lines[{i}].sku: {sku} is not in order {order.order_id}")
    for sku, quantity in request.lines:
        before = order.returned_quantities.get(sku, 0)
        order.returned_quantities[sku] = min(ordered[sku], before + quantity)
    if request.amount is not None:
        order.returned_amount = min(order.total, order.returned_amount + request.amount)
    share = _returned_share(order)
    earned = order.points_earned
    due = math.floor(earned * share)
    points = max(0, due - order.reversed_points)
    order.reversed_points += points
    return points


def reason(order: OrderRecord, request: ReturnRequest) -> str:
    if request.amount is not None:
        return f"returned {order.currency} {request.amount}"
    return "returned " + ", ".join(f"{quantity} {TIMES} {sku}" for sku, quantity in request.lines)


def _return_params(
    order: OrderRecord, request: ReturnRequest, not_taken_back: int = 0
) -> dict[str, str]:
    """The return's code parameters: the order and its share (an amount, or its items)."""
    if request.amount is not None:
        return reasons.returned(
            order.order_id,
            currency=order.currency,
            amount=str(request.amount),
            not_taken_back=not_taken_back,
        )
    items = ", ".join(f"{quantity} {TIMES} {sku}" for sku, quantity in request.lines)
    return reasons.returned(order.order_id, items=items, not_taken_back=not_taken_back)


class Reversal(NamedTuple):
    """What a return took off the balance, its entry (none while pending), and what it
    let go because it was spent already."""

    points: int
    entry: Entry | None
    shortfall: int = 0


def reverse(
    wallet: Wallet,
    order: OrderRecord,
    request: ReturnRequest,
    at: datetime,
    *,
    cap_at_zero: bool = False,
) -> Reversal:
    """Take back what the return is worth, and write the `reverse` entry. From the order's
    own lots first; points already spent become a debt that the next points pay, or, with
    `cap_at_zero`, a shortfall let go (the entry takes back only what was there). While the
    order's points are still pending, they shrink there and the entry waits."""
    points = _take_back(order, request)
    if points == 0:
        return Reversal(0, None)
    why = reason(order, request)
    posting = Posting(
        EntryType.REVERSE,
        -points,
        why,
        order_id=order.order_id,
        return_id=request.return_id,
        reason_code=reasons.RETURN,
        reason_params=tuple(_return_params(order, request).items()),
    )
    pending = wallet.pending_lot(order.lot_ids)
    if pending is not None:
        pending.lot.remaining -= points
        pending.postings.append(posting)
        return Reversal(points, None)
    shortfall = wallet.claw_back(points, order.lot_ids, debt=not cap_at_zero)
    if not cap_at_zero or not shortfall:
        return Reversal(points, wallet.post(posting, at))
    if shortfall == points:
        return Reversal(0, None, shortfall)
    why = f"{why} ({shortfall} points already spent, not taken back)"
    params = _return_params(order, request, not_taken_back=shortfall)
    capped = dataclasses.replace(
        posting, points=shortfall - points, reason=why, reason_params=tuple(params.items())
    )
    return Reversal(points - shortfall, wallet.post(capped, at), shortfall)


class CameBack(NamedTuple):
    """What a return brought back in money: its amount and, by line, each line's share."""

    amount: Decimal
    lines: tuple[PricedLine, ...]


def came_back(
    order: OrderRecord, quantities_before: dict[str, int], amount_before: Decimal
) -> CameBack:
    """What the return just recorded on `order` is worth in money, in the base currency:
    each SKU's newly returned quantity at the price paid for it, plus a returned amount
    (given in the order's currency, converted at the order's rate). Reads the order as the return
    left it against what it had returned before."""
    lines: list[PricedLine] = []
    by_sku: dict[str, list[PricedLine]] = defaultdict(list)
    for line in order.lines:
        by_sku[line.sku].append(line)
    for sku, now in order.returned_quantities.items():
        back = now - quantities_before.get(sku, 0)
        ordered = sum(line.quantity for line in by_sku[sku])
        if back <= 0 or ordered <= 0:
            continue
        paid = sum((line.amount for line in by_sku[sku]), Decimal(0))
        share = (paid * back / ordered).quantize(Decimal("0.01"))
        lines.append(PricedLine(sku, by_sku[sku][0].category, back, share, 0))
    returned = order.returned_amount - amount_before
    if order.conversion is not None:
        returned = to_base(returned, order.conversion.rate)
    amount = returned + sum((x.amount for x in lines), Decimal(0))
    return CameBack(amount, tuple(lines))
