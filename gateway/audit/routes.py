"""`/v1/admin/audit`: admins and auditors search the operators' audit trail and export it.

Only GET routes: nothing of the platform edits or removes an entry (the recorder,
`gateway.edge.audit.recorder`, is the one writer).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from gateway.access.auth import OperatorKey
from gateway.audit.answers import OperatorAuditEntryOut, OperatorAuditPageOut
from gateway.audit.csv_export import csv_lines
from gateway.container import Container, get_container
from gateway.edge.audit.store import AuditQuery, AuditStore
from gateway.edge.params import Limit, aware
from gateway.edge.problems import problem_responses
from gateway.tenancy.keys import ApiKey

router = APIRouter(prefix="/v1/admin/audit", tags=["admin: audit"])

# An export holds at most this many entries, newest first: narrow the window for more.
MAX_EXPORT = 100_000
_EXPORT_BATCH = 500
_Id = Annotated[str | None, Query(min_length=1, max_length=200)]
_When = Annotated[datetime | None, Query()]
_Cursor = Annotated[str | None, Query(max_length=200, pattern=r"^[A-Za-z0-9_-]+$")]


async def _store(container: Annotated[Container, Depends(get_container)]) -> AuditStore:
    return container.audit


Trail = Annotated[AuditStore, Depends(_store)]


class _Filters:
    """The search's filters, as query parameters."""

    def __init__(
        self,
        actor: Annotated[_Id, Query(description="An operator's id or a key's id")] = None,
        resource: Annotated[
            _Id, Query(description="`kind:id` (`campaign:cmp_...`) or a bare id")
        ] = None,
        action: Annotated[
            _Id, Query(description="The method and route, from the start (`POST /v1/admin`)")
        ] = None,
        since: Annotated[_When, Query(alias="from", description="From (ISO 8601)")] = None,
        until: Annotated[_When, Query(alias="to", description="Before (ISO 8601)")] = None,
    ) -> None:
        self.actor = actor
        self.resource = resource
        self.action = action
        self.since = aware("from", since)
        self.until = aware("to", until)

    def query(self, caller: ApiKey) -> AuditQuery:
        return AuditQuery(
            tenant_id=caller.tenant_id,
            actor=self.actor,
            resource=self.resource,
            action=self.action,
            since=self.since,
            until=self.until,
        )


Filters = Annotated[_Filters, Depends()]


@router.get(
    "",
    response_model=OperatorAuditPageOut,
    summary="Search the operators' audit trail, newest first (admins, auditors)",
    description=(
        "Every change an operator or an operator key made, and every read of a member's "
        "personal data by one: who (`actor`), when, from where (`origin`), what (`action`, "
        "`resources`, the answer's `status`) and the fields that changed, with their values "
        "before and after; a personal field is named only (`personal: true`), never its "
        "values. Filters combine; pass `next_cursor` as `cursor` for the next page. "
        "The trail cannot be edited or deleted through the platform."
    ),
    responses=problem_responses(401, 403, 422),
)
async def search_audit(
    caller: OperatorKey,
    trail: Trail,
    filters: Filters,
    cursor: _Cursor = None,
    limit: Limit = 50,
) -> OperatorAuditPageOut:
    page = await trail.search(filters.query(caller), limit=limit, cursor=cursor)
    return OperatorAuditPageOut(
        entries=[OperatorAuditEntryOut.of(e) for e in page.entries], next_cursor=page.next_cursor
    )


@router.get(
    "/export",
    summary="Export the operators' audit trail as CSV (admins, auditors)",
    description=(
        "The entries the same filters find, newest first, at most "
        f"{MAX_EXPORT:,} (narrow the window for more), as `text/csv`: one row per entry, "
        "`resources` as `kind:id` separated by spaces, `changes` as JSON. A cell a "
        "spreadsheet would run as a formula starts with `'`. The export is itself recorded."
    ),
    responses={
        200: {
            "description": "The entries as CSV",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        **problem_responses(401, 403, 422),
    },
)
async def export_audit(caller: OperatorKey, trail: Trail, filters: Filters) -> StreamingResponse:
    query = filters.query(caller)

    async def rows() -> AsyncIterator[str]:
        batch = []
        header = True
        async for entry in trail.stream(query, limit=MAX_EXPORT):
            batch.append(entry)
            if len(batch) == _EXPORT_BATCH:
                yield csv_lines(batch, header=header)
                header, batch = False, []
        yield csv_lines(batch, header=header)

    return StreamingResponse(
        rows(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit-trail.csv"'},
    )
