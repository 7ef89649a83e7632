"""`/v1/admin/members/{id}/timeline` and `/notes`: a member's interactions across channels,
newest first, and the notes support adds to them (docs/contact-history.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from gateway.access.auth import OperatorKey
from gateway.access.store_scope import scoped_to_stores
from gateway.clients import AppContainer, MemberClient
from gateway.contact.timeline.answers import AuthorOut, NoteOut, TimelineEntryOut, TimelinePageOut
from gateway.contact.timeline.bodies import AddNoteBody
from gateway.contact.timeline.kinds import Kind
from gateway.contact.timeline.recorder import entry_doc
from gateway.contact.timeline.store import BadCursor, TimelineQuery, TimelineStore
from gateway.contact.timeline.worker import timeline_store
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.params import MemberId, aware
from gateway.edge.problems import problem_responses, validation_problem
from gateway.shared.members import member_in_tenant
from libs.clock import utc_now
from libs.ids import new_id

router = APIRouter(prefix="/v1/admin/members/{member_id}", tags=["admin: members"])
_Name = Annotated[str | None, Query(min_length=1, max_length=64)]
_When = Annotated[datetime | None, Query()]
# Opaque: the value of `next_cursor` from the previous page (a time and an entry's id).
Cursor = Annotated[str | None, Query(max_length=200, pattern=r"^[A-Za-z0-9_-]+$")]


async def _timeline(container: AppContainer) -> TimelineStore:
    return timeline_store(container.db)


Timeline = Annotated[TimelineStore, Depends(_timeline)]


@router.get(
    "/timeline",
    response_model=TimelinePageOut,
    summary="A member's interactions across channels, newest first",
    description=(
        "Enrolment, purchases, returns, redemptions, coupons issued and used, campaign "
        "rewards, tier and consent changes, adjustments, expiries, merges, support notes "
        "and feedback, built from the event stream (a few seconds behind it). A survivor's "
        "timeline holds the history of the members merged into it (`member_id` says whose). "
        "Filters combine: `kind` (repeatable), `channel`, `store`, `from` (inclusive) and `to` "
        "(exclusive, ISO 8601 with an offset). A store manager reads members of their stores "
        "only, and of those the purchases, returns, redemptions, coupon uses and feedback "
        "at their stores. Pass `next_cursor` as `cursor` for the next page."
    ),
    responses=problem_responses(401, 403, 404, 422),
)
async def member_timeline(  # noqa: PLR0917 - FastAPI's parameters
    caller: OperatorKey,
    members: MemberClient,
    timeline: Timeline,
    member_id: MemberId,
    kind: Annotated[list[Kind] | None, Query(max_length=14)] = None,
    channel: _Name = None,
    store: _Name = None,
    since: Annotated[_When, Query(alias="from", description="From (ISO 8601)")] = None,
    until: Annotated[_When, Query(alias="to", description="Before (ISO 8601)")] = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> TimelinePageOut:
    await member_in_tenant(members, caller.tenant_id, member_id)
    query = TimelineQuery(
        tenant_id=caller.tenant_id,
        member_id=member_id,
        kinds=tuple(kind or ()),
        channel=channel,
        store_id=store,
        since=aware("from", since),
        until=aware("to", until),
        only_stores=caller.bound_stores if scoped_to_stores(caller) else None,
    )
    try:
        page = await timeline.page(query, limit=limit, cursor=cursor)
    except BadCursor:
        raise validation_problem(
            [{"loc": ("query", "cursor"), "msg": "not a cursor of this list"}]
        ) from None
    return TimelinePageOut(
        entries=[TimelineEntryOut.of(doc) for doc in page.entries], next_cursor=page.next_cursor
    )


@router.post(
    "/notes",
    status_code=201,
    response_model=NoteOut,
    summary="Add a support note to a member's timeline",
    description=(
        "Support, admins and a store manager (for members of their stores) note what "
        "happened with the member; the note shows on the timeline with its author and is "
        "recorded in the audit trail. Its text is removed when the member is erased, so "
        "it belongs in the timeline only: the answer does not repeat it."
    ),
    responses=problem_responses(401, 403, 404, 413, 422),
    openapi_extra=json_body(AddNoteBody),
)
async def add_note(
    request: Request,
    caller: OperatorKey,
    members: MemberClient,
    timeline: Timeline,
    member_id: MemberId,
) -> JSONResponse:
    body = parse_body(AddNoteBody, await read_json(request))
    await member_in_tenant(members, caller.tenant_id, member_id)
    note_id, now = new_id("note_"), utc_now()
    author = AuthorOut(id=caller.key_id, role=caller.role or "admin")
    doc = entry_doc(
        caller.tenant_id,
        f"note:{note_id}",
        now,
        member_id=member_id,
        kind="note",
        channel="console",
        store_id="",
        details={"note_id": note_id, "text": body.text},
        author=author.model_dump(),
    )
    await timeline.record([doc])
    answer = NoteOut(note_id=note_id, member_id=member_id, created_at=now, author=author)
    return JSONResponse(answer.model_dump(mode="json"), status_code=201)
