"""Replaying a member answer: its personal fields are read again, never stored.

The gateway's idempotency records keep member answers without identities, profile and
consents (gateway/edge/idempotency/personal.py); a replay asks the member service for
the member as they are now, so after erasure it answers the erased member.
"""

from __future__ import annotations

from fastapi import Request

from gateway.container import get_container
from gateway.edge.idempotency.personal import JsonObject, PersonalAnswer, PersonalAnswers
from gateway.members.access import may_read
from gateway.members.translate import member_from_proto
from loyalty.member.v1 import member_pb2

PERSONAL_FIELDS = ("identities", "profile", "consents")
# Read again with them: what erasure or a merge changed since the first answer.
CURRENT_FIELDS = (*PERSONAL_FIELDS, "status", "merged_into")


async def current_member(request: Request, stored: JsonObject) -> JsonObject:
    """The stored answer with the member's personal fields as the member service has them,
    for a caller who may read them (an enrolment's replay to a store manager who may not
    answers without them, as the first answer did)."""
    container = await get_container(request)
    rpc = member_pb2.GetMemberRequest(
        tenant_id=request.state.caller.tenant_id, member_id=str(stored["member_id"])
    )
    reply = await container.member.GetMember(rpc)
    member = member_from_proto(reply.member)
    if not may_read(request.state.caller, reply.member):
        member = member.without_personal_data()
    now = member.to_json()
    # In the order of the member's answer, so an unchanged member replays the same bytes.
    whole = {
        name: value if name in CURRENT_FIELDS else stored.get(name, value)
        for name, value in now.items()
    }
    return whole | {
        name: value
        for name, value in stored.items()
        if name not in whole and name not in CURRENT_FIELDS
    }


_MEMBER_ANSWER = PersonalAnswer(PERSONAL_FIELDS, current_member)

# Every POST that answers a member object (only POSTs are idempotent).
PERSONAL_ANSWERS: PersonalAnswers = {
    ("POST", "/v1/members"): _MEMBER_ANSWER,
    ("POST", "/v1/members/{member_id}/identities"): _MEMBER_ANSWER,
    ("POST", "/v1/members/merge"): _MEMBER_ANSWER,
    ("POST", "/v1/members/{member_id}/erase"): _MEMBER_ANSWER,
}
