"""The routers are tried in the order of `gateway.app.ROUTERS`, the most frequent requests
first: that is safe only while no route of one router matches another router's paths."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute
from starlette.routing import compile_path

from gateway.app import ROUTERS


def a_path_of(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "x1", template)


def api_routes(number: int) -> list[APIRoute]:
    return [route for route in ROUTERS[number].routes if isinstance(route, APIRoute)]


def test_no_route_answers_a_path_of_another_router_so_their_order_never_decides() -> None:
    routes = [
        (number, route.path, frozenset(route.methods or ()))
        for number in range(len(ROUTERS))
        for route in api_routes(number)
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
    assert api_routes(0)[0].path == "/v1/members/{member_id}/points"
