"""`python -m gateway.admin operators ...`: create, list and disable console users, and end
their sessions."""

from __future__ import annotations

import argparse
import getpass
from typing import Any, TextIO

from gateway.container import Stores
from gateway.settings import GatewaySettings
from gateway.tenancy.operators.passwords import password_problem
from gateway.tenancy.operators.store import Operator, OperatorError


class PasswordError(ValueError):
    """The password given cannot be used."""


def read_password(args: argparse.Namespace, stdin: TextIO) -> str:
    if args.password_stdin:
        password = stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise PasswordError("the two passwords differ")
    problem = password_problem(password)
    if problem is not None:
        raise PasswordError(problem)
    return password


def operator_out(operator: Operator) -> dict[str, Any]:
    return {
        "operator_id": operator.operator_id,
        "tenant_id": operator.tenant_id,
        "email": operator.email,
        "role": operator.role,
        "stores": list(operator.stores),
        "created_at": operator.created_at.isoformat(),
        "disabled": operator.disabled_at is not None,
    }


async def create_operator(
    args: argparse.Namespace, stores: Stores, _: GatewaySettings, stdin: TextIO
) -> Any:
    password = read_password(args, stdin)
    operator = await stores.operators.create(
        args.tenant, args.email, args.role, password, stores=args.stores
    )
    return operator_out(operator)


async def list_operators(
    args: argparse.Namespace, stores: Stores, _: GatewaySettings, __: TextIO
) -> Any:
    return {"operators": [operator_out(op) for op in await stores.operators.list(args.tenant)]}


def _unknown(args: argparse.Namespace) -> OperatorError:
    return OperatorError(f"no operator {args.operator_id} in {args.tenant}")


async def _set_disabled(args: argparse.Namespace, stores: Stores, *, disabled: bool) -> Operator:
    operator = await stores.operators.set_disabled(args.tenant, args.operator_id, disabled=disabled)
    if operator is None:
        raise _unknown(args)
    return operator


async def disable_operator(
    args: argparse.Namespace, stores: Stores, _: GatewaySettings, __: TextIO
) -> Any:
    operator = await _set_disabled(args, stores, disabled=True)
    ended = await stores.sessions.close_all(operator.operator_id)
    return {**operator_out(operator), "sessions_ended": ended}


async def enable_operator(
    args: argparse.Namespace, stores: Stores, _: GatewaySettings, __: TextIO
) -> Any:
    return operator_out(await _set_disabled(args, stores, disabled=False))


async def end_sessions(
    args: argparse.Namespace, stores: Stores, _: GatewaySettings, __: TextIO
) -> Any:
    if await stores.operators.get(args.tenant, args.operator_id) is None:
        raise _unknown(args)
    ended = await stores.sessions.close_all(args.operator_id)
    return {"operator_id": args.operator_id, "sessions_ended": ended}


ERRORS = (PasswordError, OperatorError)
