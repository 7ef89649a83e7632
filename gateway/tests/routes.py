"""Every route an app serves, as (method, path template) pairs."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI


def _pairs(route: Any) -> list[tuple[str, str]]:
    methods = getattr(route, "methods", None) or ()
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return [(method, path) for method in methods if method != "HEAD" and path]


def app_routes(app: FastAPI) -> list[tuple[str, str]]:
    """`app.routes`, with included routers expanded to their routes (this FastAPI keeps
    them as one entry per router)."""
    found: list[tuple[str, str]] = []
    for route in app.routes:
        expand = getattr(route, "effective_route_contexts", None)
        for each in expand() if expand is not None else [route]:
            found.extend(_pairs(each))
    assert found, "no routes found: has FastAPI changed how it keeps them?"
    return sorted(set(found))
