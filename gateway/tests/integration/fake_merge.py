"""The member stand-in's merge and tier progress: enough to prove the gateway's side."""

from __future__ import annotations

from typing import Any

from typing_extensions import override

from gateway.tests.integration.fake_membership import Context, MembershipRpcs, _now
from libs.errors import FailedPrecondition, InvalidArgument
from loyalty.member.v1 import member_pb2 as pb

SILVER = pb.Tier(code="silver", name="Silver", threshold=1000, multiplier="1.25")


class MergeRpcs(MembershipRpcs):
    @override
    async def MergeMembers(self, request: pb.MergeMembersRequest, context: Context) -> Any:
        self.calls.append(request)
        if request.survivor_id == request.merged_id:
            raise InvalidArgument("merged_id: another member", code="merge_same_member")
        survivor = self._member(request.tenant_id, request.survivor_id)
        merged = self._member(request.tenant_id, request.merged_id)
        if merged.status == "merged" and merged.merged_into == survivor.member_id:
            return pb.MergeMembersResponse(survivor=survivor, merged=False)
        if "active" not in (survivor.status or "active", merged.status or "active"):
            raise FailedPrecondition("not active", code="member_not_active")
        for identity in merged.identities:
            key = (request.tenant_id, identity.type, identity.value)
            self.identities[key] = survivor.member_id
        survivor.identities.extend(merged.identities)
        del merged.identities[:]
        merged.status, merged.merged_into = "merged", survivor.member_id
        return pb.MergeMembersResponse(survivor=survivor, merged=True)

    @override
    async def GetTierProgress(self, request: pb.GetTierProgressRequest, context: Context) -> Any:
        member = self._member(request.tenant_id, request.member_id)
        progress = pb.TierProgress(
            member_id=member.member_id,
            tier=member.tier,
            qualifying_metric="points_earned",
            window_days=365,
            qualifying_amount=400,
            next_tier=SILVER,
            still_needed=600,
            counted_since=_now(),
            needed_by=_now(),
        )
        return pb.GetTierProgressResponse(progress=progress)
