"""The routers are tried in the order of `gateway.app.ROUTERS`, the most frequent requests
first: that is safe only while no route of one router matches another router's paths."""

from __future__ import annotations

import re

from starlette.routing import compile_path

from gateway.app import ROUTERS


def a_path_of(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "x1", template)


def test_no_route_answers_a_path_of_another_router_so_their_order_never_decides() -> None:
    routes = [
        (number, route.path, frozenset(getattr(route, "methods", None) or ()))
        for number, router in enumerate(ROUTERS)
        for route in router.routes
    ]
    overlapping = [
        (mine, theirs)
        for number, mine, methods in routes
        for other, theirs, their_methods in routes
        if number != other
        and methods & their_methods
        and compile_path(mine)[0].match(a_path_of(theirs))
    ]

    assert overlapping == []


def test_the_balance_read_is_tried_first() -> None:
    assert ROUTERS[0].routes[0].path == "/v1/members/{member_id}/points"  # type: ignore[attr-defined]
