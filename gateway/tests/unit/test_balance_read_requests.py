"""Which requests the balance read's fast path takes: a plain `GET` of one member's
points, nothing else (gateway/points/fast_read.py)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.points.fast_read import ROUTE, balance_read_of


def scope(path: str, method: str = "GET", query: bytes = b"", **extra: Any) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "query_string": query, **extra}


def test_a_plain_balance_read_names_its_member() -> None:
    assert balance_read_of(scope("/v1/members/mem_01abc/points")) == "mem_01abc"


@pytest.mark.parametrize(
    "request_scope",
    [
        scope("/v1/members/mem_1/points", method="HEAD"),
        scope("/v1/members/mem_1/points", method="POST"),
        scope("/v1/members/mem_1/points", query=b"x=1"),
        scope("/v1/members/mem_1/points/"),
        scope("/v1/members/mem_1/points/ledger"),
        scope("/v1/members/points"),
        scope("/v1/members//points"),
        scope("/v1/members/a/b/points"),
        scope(f"/v1/members/{'m' * 129}/points"),
        scope("/v1/members/mem_1/points", root_path="/api"),
        {**scope("/v1/members/mem_1/points"), "fastapi.telemetry": object()},
        {"type": "websocket", "method": "GET", "path": "/v1/members/m/points", "query_string": b""},
    ],
)
def test_anything_else_is_left_to_the_router(request_scope: dict[str, Any]) -> None:
    assert balance_read_of(request_scope) is None


def test_a_member_id_of_128_characters_is_still_a_balance_read() -> None:
    assert balance_read_of(scope(f"/v1/members/{'m' * 128}/points")) == "m" * 128


def test_the_fast_path_labels_its_answers_with_the_routes_template() -> None:
    assert ROUTE.path == "/v1/members/{member_id}/points"
    assert ROUTE.methods == {"GET"}
