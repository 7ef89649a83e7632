"""`RequireScope` and `RequireChannels` authenticate by themselves (one dependency level
less a request): a route must then depend on at most one of them or on `Caller`, or it
would check the key, take a rate-limit token and claim its Idempotency-Key twice."""

from __future__ import annotations

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from gateway.access.auth import RequireChannels, RequireScope, authenticate
from gateway.app import ROUTERS


def authenticating(dependant: Dependant) -> int:
    call = dependant.call
    own = call is authenticate or isinstance(call, RequireScope | RequireChannels)
    return int(own) + sum(authenticating(d) for d in dependant.dependencies)


def test_every_route_authenticates_its_caller_at_most_once() -> None:
    twice = [
        (route.path, sorted(route.methods or ()))
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute) and authenticating(route.dependant) > 1
    ]

    assert twice == []


def test_a_route_behind_a_scope_authenticates_once() -> None:
    [balance] = [
        r for r in ROUTERS[0].routes if isinstance(r, APIRoute) and r.path.endswith("/points")
    ]

    assert authenticating(balance.dependant) == 1
