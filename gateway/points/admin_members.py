"""The members a file names, asked of the member service a few at a time."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING

from gateway.edge.problems import ApiProblem
from gateway.shared.members import active_member

if TYPE_CHECKING:
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub as MemberStub

# Calls in flight at once: enough to read a large file quickly, few enough to leave the
# member service room for the tills.
CONCURRENT_LOOKUPS = 16


async def resolve_members(
    members: MemberStub, tenant_id: str, member_ids: Iterable[str]
) -> dict[str, str | ApiProblem]:
    """Each id's active member (following merges), or why it has none (404, 409). Any
    other failure, such as the member service being down, fails the whole request."""
    gate = asyncio.Semaphore(CONCURRENT_LOOKUPS)

    async def one(member_id: str) -> tuple[str, str | ApiProblem]:
        async with gate:
            try:
                member = await active_member(members, tenant_id, member_id=member_id)
            except ApiProblem as problem:
                if problem.status not in (404, 409):
                    raise
                return member_id, problem
            return member_id, member.member_id

    return dict(await asyncio.gather(*(one(m) for m in sorted(set(member_ids)))))
