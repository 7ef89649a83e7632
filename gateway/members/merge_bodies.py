"""Merging two members and a member's tier progress, as JSON."""

from __future__ import annotations

from pydantic import BaseModel

from gateway.edge.fields import MemberId, Strict


class MergeMembersBody(Strict):
    """`POST /v1/members/merge`: `merged_id` is folded into `survivor_id`; both must be
    active members of the caller's tenant, and not the same one."""

    survivor_id: MemberId
    merged_id: MemberId


BODY_MODELS: tuple[type[BaseModel], ...] = (MergeMembersBody,)
