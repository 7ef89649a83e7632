"""Contact history through the whole running platform: a member's timeline built from the
stream, support notes, and members' feedback handled in support's inbox; who may see
what (roles and store managers' stores), bad input, erasure and merges."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.contact_support import buy, feedback_of, kinds, operator, timeline, timeline_with
from tests.e2e.gateway_support import (
    enrol,
    funded_member,
    held,
    http,
    key,
    member_session,
)
from tests.support.polling import settled

__all__ = ["http"]  # the fixture


async def test_a_members_purchases_returns_redemptions_consents_and_notes_make_one_timeline(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos = key(platform_stack, "demo", "pos")
    support = await operator(platform_stack, http, "support")
    member_id = await enrol(http, pos)
    order_id = await buy(http, pos, member_id, "S001")
    returned = await http.post(
        f"/v1/orders/{order_id}/returns",
        json={"return_id": f"RET-{uuid4().hex}", "amount": "100.00"},
        headers=pos,
    )
    assert returned.status_code == 201, returned.text
    redemption_id = await held(http, pos, member_id, "S001")
    captured = await http.post(f"/v1/redemptions/{redemption_id}/capture", headers=pos)
    assert captured.status_code == 200, captured.text
    consents = await http.put(
        f"/v1/members/{member_id}/consents", json={"consents": {"marketing": True}}, headers=support
    )
    assert consents.status_code == 200, consents.text
    note = await http.post(
        f"/v1/admin/members/{member_id}/notes",
        json={"text": "Came in about a return"},
        headers=support,
    )
    assert note.status_code == 201, note.text
    assert "text" not in note.json()

    page = await timeline_with(
        http,
        support,
        member_id,
        {"enrolment", "purchase", "return", "redemption", "consent_change", "note"},
    )

    purchase = next(e for e in page["entries"] if e["kind"] == "purchase")
    assert (purchase["store_id"], purchase["details"]["order_id"]) == ("S001", order_id)
    noted = next(e for e in page["entries"] if e["kind"] == "note")
    assert noted["details"]["text"] == "Came in about a return"
    assert noted["author"]["role"] == "support"
    only_returns = await timeline(http, support, member_id, kind="return")
    assert kinds(only_returns) == {"return"}
    before_all = await timeline(http, support, member_id, to="2020-01-01T00:00:00+00:00")
    assert before_all["entries"] == []
    trail = await http.get(
        "/v1/admin/audit",
        params={"resource": f"note:{note.json()['note_id']}"},
        headers=await operator(platform_stack, http, "auditor"),
    )
    assert [(e["method"], e["route"], e["status"]) for e in trail.json()["entries"]] == [
        ("POST", "/v1/admin/members/{member_id}/notes", 201)
    ]


async def test_marketers_and_analysts_get_no_timeline_and_store_managers_only_their_stores(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos = key(platform_stack, "demo", "pos")
    member_id = await funded_member(http, pos, "S001")
    await buy(http, pos, member_id, "S002")
    here = await operator(platform_stack, http, "store_manager", "S001")
    elsewhere = await operator(platform_stack, http, "store_manager", "S002")
    path = f"/v1/admin/members/{member_id}/timeline"

    for role in ("marketer", "analyst"):
        refused = await http.get(path, headers=await operator(platform_stack, http, role))
        assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    other_store = await http.get(path, headers=elsewhere)
    no_note = await http.post(
        f"/v1/admin/members/{member_id}/notes", json={"text": "x"}, headers=elsewhere
    )
    page = await timeline_with(http, here, member_id, {"enrolment", "purchase"})

    assert (other_store.status_code, no_note.status_code) == (403, 403)
    purchases = [e["store_id"] for e in page["entries"] if e["kind"] == "purchase"]
    assert purchases == ["S001"]
    admin = key(platform_stack, "demo", "operator")
    everything = await settled(
        lambda: timeline(http, admin, member_id, kind="purchase"),
        lambda found: len(found["entries"]) == 2,
        within=60,
    )
    assert {e["store_id"] for e in everything["entries"]} == {"S001", "S002"}


@pytest.mark.parametrize(
    ("body", "location", "code"),
    [
        ({"text": ""}, "body.text", "too_short"),
        ({"text": "x" * 2001}, "body.text", "too_long"),
        ({"text": "x", "pinned": True}, "body.pinned", "unknown_field"),
        ({}, "body.text", "required"),
    ],
)
async def test_a_bad_note_is_refused_with_its_fields_code_and_adds_nothing(
    platform_stack: Stack, http: httpx.AsyncClient, body: dict[str, Any], location: str, code: str
) -> None:
    admin = key(platform_stack, "demo", "operator")
    member_id = await enrol(http, key(platform_stack, "demo", "pos"))

    refused = await http.post(f"/v1/admin/members/{member_id}/notes", json=body, headers=admin)

    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert [(e["location"], e["code"]) for e in refused.json()["errors"]] == [(location, code)]
    assert "note" not in kinds(await timeline(http, admin, member_id))


async def test_timeline_of_an_unknown_member_and_a_foreign_cursor_are_refused(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    admin = key(platform_stack, "demo", "operator")
    member_id = await enrol(http, key(platform_stack, "demo", "pos"))

    unknown = await http.get("/v1/admin/members/mem_nobody/timeline", headers=admin)
    cursor = await http.get(
        f"/v1/admin/members/{member_id}/timeline", params={"cursor": "bm90aGluZw"}, headers=admin
    )
    kind = await http.get(
        f"/v1/admin/members/{member_id}/timeline", params={"kind": "gossip"}, headers=admin
    )

    assert (unknown.status_code, unknown.json()["code"]) == (404, "member_not_found")
    assert (cursor.status_code, cursor.json()["errors"][0]["location"]) == (422, "query.cursor")
    assert (kind.status_code, kind.json()["errors"][0]["code"]) == (422, "not_allowed")


async def test_erasure_takes_notes_and_feedback_text_off_the_timeline_and_the_inbox(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos, admin = key(platform_stack, "demo", "pos"), key(platform_stack, "demo", "operator")
    member_id = await enrol(http, pos)
    member = await member_session(http, key(platform_stack, "demo", "app"), member_id)
    secret = f"call me on 139{uuid4().int % 10**8:08d}"
    noted = await http.post(
        f"/v1/admin/members/{member_id}/notes", json={"text": secret}, headers=admin
    )
    given = await http.post(
        f"/v1/members/{member_id}/feedback",
        json={"kind": "complaint", "category": "other", "comment": secret},
        headers=member,
    )
    assert (noted.status_code, given.status_code) == (201, 201)

    erased = await http.post(f"/v1/members/{member_id}/erase", headers=admin)
    assert erased.status_code == 200, erased.text

    page = await settled(
        lambda: timeline(http, admin, member_id),
        lambda found: (
            {"note", "feedback"} <= kinds(found)
            and all(e["erased"] for e in found["entries"] if e["kind"] in ("note", "feedback"))
        ),
        within=60,
    )
    assert secret not in str(page)
    one = await http.get(f"/v1/admin/feedback/{given.json()['feedback_id']}", headers=admin)
    assert (one.json()["erased"], one.json().get("comment")) == (True, None)


async def test_a_merge_brings_the_merged_members_history_and_feedback_to_the_survivor(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos, admin = key(platform_stack, "demo", "pos"), key(platform_stack, "demo", "operator")
    survivor_id, merged_id = await enrol(http, pos), await enrol(http, pos)
    order_id = await buy(http, pos, merged_id, "S001")
    old_session = await member_session(http, key(platform_stack, "demo", "app"), merged_id)
    given = await http.post(
        f"/v1/members/{merged_id}/feedback",
        json={"kind": "rating", "rating": 4, "store_id": "S001"},
        headers=old_session,
    )
    assert given.status_code == 201, given.text

    merged = await http.post(
        "/v1/members/merge",
        json={"survivor_id": survivor_id, "merged_id": merged_id},
        headers=admin,
    )
    assert merged.status_code == 200, merged.text

    page = await timeline_with(http, admin, survivor_id, {"merge", "purchase", "feedback"})
    purchase = next(e for e in page["entries"] if e["kind"] == "purchase")
    assert (purchase["member_id"], purchase["details"]["order_id"]) == (merged_id, order_id)
    survivor = await member_session(http, key(platform_stack, "demo", "app"), survivor_id)
    mine = await feedback_of(http, survivor, survivor_id)
    assert [f["feedback_id"] for f in mine] == [given.json()["feedback_id"]]
