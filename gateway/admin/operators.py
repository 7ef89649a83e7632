"""`python -m gateway.admin operators ...`: create and list console users."""

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


ERRORS = (PasswordError, OperatorError)
