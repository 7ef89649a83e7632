"""Errors of the points domain, each with its machine code."""

from __future__ import annotations

from libs.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound


class InsufficientPoints(FailedPrecondition):
    code = "insufficient_points"

    def __init__(self, available: int, wanted: int) -> None:
        super().__init__(f"{wanted} points wanted, {available} available")


class OrderConflict(Conflict):
    code = "order_conflict"

    def __init__(self, order_id: str) -> None:
        super().__init__(f"order {order_id} was already accrued with a different body")


class ReturnConflict(Conflict):
    code = "return_conflict"

    def __init__(self, return_id: str) -> None:
        super().__init__(f"return {return_id} was already made with a different body")


class OrderNotFound(NotFound):
    code = "order_not_found"

    def __init__(self, order_id: str) -> None:
        super().__init__(f"no order {order_id}")


class RedemptionNotFound(NotFound):
    code = "redemption_not_found"

    def __init__(self, redemption_id: str) -> None:
        super().__init__(f"no redemption {redemption_id}")


class NoEarningRule(FailedPrecondition):
    code = "earning_rule_not_found"

    def __init__(self) -> None:
        super().__init__("no earning rule is set for this tenant")


class NoExchangeRate(InvalidArgument):
    """An order in a currency with no rate valid at its time: nothing can be earned on it."""

    code = "no_exchange_rate"

    def __init__(self, currency: str, base: str) -> None:
        super().__init__(f"no exchange rate from {currency} to {base} valid at the order's time")


class AlreadySeen(Exception):
    """An order or return id is already stored: the caller replays the first answer."""


class StaleWrite(Conflict):
    """The document changed since it was read; the command may simply be tried again."""

    code = "concurrent_update"

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} changed concurrently; try again")


class AdjustmentConflict(Conflict):
    code = "adjustment_conflict"

    def __init__(self, adjustment_id: str) -> None:
        super().__init__(f"adjustment {adjustment_id} was already made with a different body")


class GrantConflict(Conflict):
    code = "grant_conflict"

    def __init__(self, grant_key: str) -> None:
        super().__init__(f"grant {grant_key} was already made with a different body")


class TransferConflict(Conflict):
    code = "transfer_conflict"

    def __init__(self, transfer_id: str) -> None:
        super().__init__(f"transfer {transfer_id} was already made with a different body")


class TransfersDisabled(FailedPrecondition):
    code = "transfers_disabled"

    def __init__(self) -> None:
        super().__init__("this tenant does not allow transfers between members")


class TransferLimitExceeded(FailedPrecondition):
    code = "transfer_limit_exceeded"

    def __init__(self, limit: int, left: int) -> None:
        super().__init__(f"a member may transfer {limit} points a day; {left} left today")
