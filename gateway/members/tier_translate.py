"""Tier programs between their JSON and MemberService messages."""

from __future__ import annotations

from gateway.members.tier_answers import TierProgramOut
from gateway.members.tier_bodies import TierBody, TierProgramBody
from loyalty.member.v1 import member_pb2


def program_to_proto(body: TierProgramBody) -> member_pb2.TierProgram:
    return member_pb2.TierProgram(
        tiers=[
            member_pb2.Tier(
                code=t.code, name=t.name, threshold=t.threshold, multiplier=t.multiplier
            )
            for t in body.tiers
        ],
        qualifying_metric=body.qualifying_metric,
        window_days=body.window_days,
        downgrade_policy=body.downgrade_policy,
        downgrade_grace_days=body.downgrade_grace_days,
    )


def program_from_proto(program: member_pb2.TierProgram) -> TierProgramOut:
    return TierProgramOut.model_validate(
        {
            "tiers": [
                TierBody(code=t.code, name=t.name, threshold=t.threshold, multiplier=t.multiplier)
                for t in program.tiers
            ],
            "qualifying_metric": program.qualifying_metric,
            "window_days": program.window_days,
            "downgrade_policy": program.downgrade_policy or "period_end",
            "downgrade_grace_days": program.downgrade_grace_days,
            "version": program.version,
        }
    )
