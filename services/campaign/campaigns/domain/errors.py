"""Errors of the campaigns domain."""

from __future__ import annotations

from libs.errors import NotFound


class CampaignNotFound(NotFound):
    def __init__(self, campaign_id: str) -> None:
        super().__init__(f"campaign {campaign_id} not found")


class SegmentNotFound(NotFound):
    def __init__(self, segment_id: str) -> None:
        super().__init__(f"segment {segment_id} not found")
