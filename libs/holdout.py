"""Who a campaign holds out: the same member is always in or out of the same campaign's
holdout, by a hash both the campaign service (which leaves held-out members unrewarded)
and the analytics read model (which compares the two groups) compute alike."""

from __future__ import annotations

import hashlib


def held_out(campaign_id: str, member_id: str, percent: int) -> bool:
    """The first 8 bytes of sha256("<campaign_id>:<member_id>"), big-endian, modulo 100,
    below `percent`."""
    if percent <= 0:
        return False
    digest = hashlib.sha256(f"{campaign_id}:{member_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100 < percent
