"""The permission matrix of the whole app: every slice's rows, joined (a route has one).

`python -m gateway.matrix` prints it as the table in docs/permissions.md.
"""

from __future__ import annotations

import sys

from gateway.access import permissions as access
from gateway.access.permissions import Matrix, Rule, markdown_table
from gateway.analytics import permissions as analytics
from gateway.approvals import permissions as approvals
from gateway.audit import permissions as audit
from gateway.campaigns import permissions as campaigns
from gateway.carts import permissions as carts
from gateway.console import permissions as console
from gateway.coupons import permissions as coupons
from gateway.member_sessions import permissions as member_sessions
from gateway.members import permissions as members
from gateway.operations import permissions as operations
from gateway.ops import permissions as ops
from gateway.points import permissions as points
from gateway.points.exchange_rates import permissions as exchange_rates
from gateway.tenants import permissions as tenants
from gateway.webhooks import permissions as webhooks

SLICES = (
    access,
    ops,
    console,
    members,
    member_sessions,
    points,
    exchange_rates,
    campaigns,
    coupons,
    carts,
    operations,
    tenants,
    analytics,
    audit,
    approvals,
    webhooks,
)


def joined(parts: tuple[Matrix, ...]) -> dict[tuple[str, str], Rule]:
    """The rows of every part; a route with rows in two parts is a mistake, refused."""
    matrix: dict[tuple[str, str], Rule] = {}
    for part in parts:
        twice = sorted(set(matrix) & set(part))
        if twice:
            raise ValueError(f"routes with two rows in the permission matrix: {twice}")
        matrix.update(part)
    return matrix


MATRIX = joined(tuple(s.RULES for s in SLICES))

if __name__ == "__main__":
    sys.stdout.write(markdown_table(MATRIX))
