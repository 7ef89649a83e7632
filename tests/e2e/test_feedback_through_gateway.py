"""Members' feedback through the whole running platform: given from the member's session,
handled in support's inbox (assigned, answered, closed), store managers' stores only, bad
input refused, and the ratings report."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.contact_support import buy, feedback_of, operator, timeline
from tests.e2e.gateway_support import (
    enrol,
    http,
    key,
    member_session,
)

__all__ = ["http"]  # the fixture


async def test_support_assigns_answers_and_closes_feedback_and_the_member_reads_the_answer(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos, app = key(platform_stack, "demo", "pos"), key(platform_stack, "demo", "app")
    member_id = await enrol(http, pos)
    order_id = await buy(http, pos, member_id, "S002")
    member = await member_session(http, app, member_id)
    support = await operator(platform_stack, http, "support")

    given = await http.post(
        f"/v1/members/{member_id}/feedback",
        json={"kind": "rating", "rating": 2, "order_id": order_id, "comment": "Slow checkout"},
        headers=member,
    )
    assert given.status_code == 201, given.text
    feedback_id = given.json()["feedback_id"]
    assert (given.json()["store_id"], given.json()["status"]) == ("S002", "open")
    assert "comment" not in given.json()
    inbox = await http.get(
        "/v1/admin/feedback", params={"status": "open", "store": "S002"}, headers=support
    )
    assert feedback_id in [f["feedback_id"] for f in inbox.json()["feedback"]]
    one = f"/v1/admin/feedback/{feedback_id}"

    assigned = await http.post(f"{one}/assign", json={}, headers=support)
    answered = await http.post(
        f"{one}/answer", json={"text": "Sorry: we opened a second till."}, headers=support
    )
    closed = await http.post(f"{one}/close", headers=support)
    again = await http.post(f"{one}/close", headers=support)

    assert (assigned.status_code, assigned.json()["status"]) == (200, "assigned")
    assert (answered.status_code, answered.json()["status"]) == (200, "answered")
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    assert (again.status_code, again.json()["code"]) == (409, "feedback_closed")
    mine = await feedback_of(http, member, member_id)
    assert (mine[0]["answer"], mine[0]["comment"]) == (
        "Sorry: we opened a second till.",
        "Slow checkout",
    )
    page = await timeline(http, support, member_id, kind="feedback")
    assert page["entries"][0]["details"]["answer"] == "Sorry: we opened a second till."


async def test_store_managers_see_and_handle_their_stores_feedback_only(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    app = key(platform_stack, "demo", "app")
    member_id = await enrol(http, key(platform_stack, "demo", "pos"))
    member = await member_session(http, app, member_id)
    given = await http.post(
        f"/v1/members/{member_id}/feedback",
        json={"kind": "rating", "rating": 5, "store_id": "S003"},
        headers=member,
    )
    assert given.status_code == 201, given.text
    feedback_id = given.json()["feedback_id"]
    here = await operator(platform_stack, http, "store_manager", "S003")
    elsewhere = await operator(platform_stack, http, "store_manager", "S001")

    theirs = await http.get("/v1/admin/feedback", headers=here)
    not_theirs = await http.get("/v1/admin/feedback", headers=elsewhere)
    hidden = await http.post(f"/v1/admin/feedback/{feedback_id}/close", headers=elsewhere)
    handled = await http.post(f"/v1/admin/feedback/{feedback_id}/close", headers=here)

    assert feedback_id in [f["feedback_id"] for f in theirs.json()["feedback"]]
    assert {f.get("store_id") for f in theirs.json()["feedback"]} == {"S003"}
    assert feedback_id not in [f["feedback_id"] for f in not_theirs.json()["feedback"]]
    assert (hidden.status_code, hidden.json()["code"]) == (404, "feedback_not_found")
    assert handled.status_code == 200, handled.text


@pytest.mark.parametrize(
    ("body", "location", "code"),
    [
        ({"kind": "rating", "rating": 6, "store_id": "S001"}, "body.rating", "too_large"),
        ({"kind": "rating", "rating": 4}, "body.store_id", "required"),
        ({"kind": "complaint", "comment": "late"}, "body.category", "required"),
        (
            {"kind": "complaint", "category": "weather", "comment": "x"},
            "body.category",
            "not_allowed",
        ),
        ({"kind": "rating", "rating": 4, "store_id": "S999"}, "body.store_id", "invalid"),
        ({"kind": "praise"}, "body.kind", "not_allowed"),
    ],
)
async def test_bad_feedback_is_refused_with_its_fields_code(
    platform_stack: Stack, http: httpx.AsyncClient, body: dict[str, Any], location: str, code: str
) -> None:
    member_id = await enrol(http, key(platform_stack, "demo", "pos"))
    member = await member_session(http, key(platform_stack, "demo", "app"), member_id)

    refused = await http.post(f"/v1/members/{member_id}/feedback", json=body, headers=member)

    assert refused.status_code == 422, refused.text
    assert (location, code) in [(e["location"], e["code"]) for e in refused.json()["errors"]]
    assert await feedback_of(http, member, member_id) == []


async def test_feedback_on_another_members_order_or_for_another_member_is_refused(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos, app = key(platform_stack, "demo", "pos"), key(platform_stack, "demo", "app")
    member_id, other_id = await enrol(http, pos), await enrol(http, pos)
    others_order = await buy(http, pos, other_id, "S001")
    member = await member_session(http, app, member_id)
    body = {"kind": "rating", "rating": 1, "order_id": others_order}

    not_mine = await http.post(f"/v1/members/{member_id}/feedback", json=body, headers=member)
    not_me = await http.post(f"/v1/members/{other_id}/feedback", json=body, headers=member)
    operator_key = await http.post(
        f"/v1/members/{member_id}/feedback",
        json=body,
        headers=key(platform_stack, "demo", "operator"),
    )

    assert (not_mine.status_code, not_mine.json()["code"]) == (404, "order_not_found")
    assert (not_me.status_code, not_me.json()["code"]) == (404, "member_not_found")
    assert operator_key.status_code == 403


async def test_ratings_feed_a_report_of_the_average_by_store_and_day(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    app, pos = key(platform_stack, "demo", "app"), key(platform_stack, "demo", "pos")
    member_id = await enrol(http, pos)
    member = await member_session(http, app, member_id)
    for rating in (5, 4):
        given = await http.post(
            f"/v1/members/{member_id}/feedback",
            json={"kind": "rating", "rating": rating, "store_id": "S003"},
            headers=member,
        )
        assert given.status_code == 201, given.text
    analyst = await operator(platform_stack, http, "analyst")
    manager = await operator(platform_stack, http, "store_manager", "S001")

    report = await http.get(
        "/v1/admin/analytics/ratings", params={"store_id": "S003"}, headers=analyst
    )
    theirs = await http.get("/v1/admin/analytics/ratings", headers=manager)
    not_theirs = await http.get(
        "/v1/admin/analytics/ratings", params={"store_id": "S003"}, headers=manager
    )
    bad = await http.get(
        "/v1/admin/analytics/ratings",
        params={"from": "2026-12-07", "to": "2026-01-01"},
        headers=analyst,
    )

    assert report.status_code == 200, report.text
    (store,) = report.json()["stores"]
    assert store["store_id"] == "S003"
    assert store["ratings"] >= 2
    assert 1 <= float(store["average"]) <= 5
    assert {row["store_id"] for row in report.json()["days"]} == {"S003"}
    assert {row["store_id"] for row in theirs.json()["stores"]} <= {"S001"}
    assert (not_theirs.status_code, not_theirs.json()["code"]) == (403, "forbidden")
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_range")
