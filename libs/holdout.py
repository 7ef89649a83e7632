"""Who a campaign holds out: the same member is always in or out of the same campaign's
holdout, by a hash both the campaign service (which leaves held-out members unrewarded)
and the analytics read model (which compares the two groups) compute alike."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def held_out(campaign_id: str, member_id: str, percent: int) -> bool:
    """The first 8 bytes of sha256("<campaign_id>:<member_id>"), big-endian, modulo 100,
    below `percent`."""
    if percent <= 0:
        return False
    return holdout_bucket(campaign_id, member_id) < percent


def holdout_bucket(campaign_id: str, member_id: str) -> int:
    """Where the campaign's hash puts the member, 0-99: held out below the percent."""
    digest = hashlib.sha256(f"{campaign_id}:{member_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100


def holdout_buckets(campaign_id: str, member_ids: Iterable[str]) -> bytes:
    """`holdout_bucket` of each member, a byte each."""
    prefix = f"{campaign_id}:"
    sha256, of_bytes = hashlib.sha256, int.from_bytes
    return bytes(
        of_bytes(sha256((prefix + m).encode()).digest()[:8], "big") % 100 for m in member_ids
    )
