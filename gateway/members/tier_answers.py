"""The tier program as the member service answers it."""

from __future__ import annotations

from gateway.members.tier_bodies import TierProgramBody


class TierProgramOut(TierProgramBody):
    version: int
